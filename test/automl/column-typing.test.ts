import { describe, expect, it } from "vitest";
import {
  analyseTable,
  AutoMLInputError,
  loadAlgorithm,
  loadArtifact,
  readCsvTable,
  runAutoML,
  splitIntoStages,
  transformFeatures,
  type Table,
} from "../../lib/automl/index.ts";
import { parseDate } from "../../lib/automl/analysis/dates.ts";
import { dataExplorationNotebook } from "../../lib/local-aws/services/sagemaker/autopilot-artifacts/index.ts";
import { createRandom } from "../../lib/automl/rng.ts";

/** Rows of an informative number `x`, a noise number, and a label that `x` decides. */
function numberTable(rows: number, seed: number, xField: (x: number, i: number) => string = (x) => x.toFixed(3)): Table {
  const random = createRandom(seed);
  return {
    header: ["x", "noise", "label"],
    rows: Array.from({ length: rows }, (_, i) => {
      const x = random.next() * 10;
      return [xField(x, i), random.next().toFixed(3), x + (random.next() - 0.5) * 2 > 5 ? "high" : "low"];
    }),
  };
}

const column = (table: Table, name: string, options?: Parameters<typeof analyseTable>[2]) => analyseTable(table, "label", options).columns.find((c) => c.name === name)!;

describe("numeric columns with stray tokens", () => {
  const stray = ["error", "inf", "1,234.50"];
  const withStray = numberTable(600, 1, (x, i) => (i % 50 === 7 ? stray[i % 3]! : x.toFixed(3)));

  it("stay numeric, the tokens counted, named and read as missing", () => {
    const analysis = analyseTable(withStray, "label");
    expect(analysis.columns[0]).toMatchObject({ name: "x", kind: "numeric", role: "feature", missing: 0 });
    expect(analysis.columns[0]!.unreadable).toEqual({ count: 12, values: [{ value: "1,234.50", count: 4 }, { value: "error", count: 4 }, { value: "inf", count: 4 }] });
    expect(analysis.decisions).toContain('Column "x": numeric; 12 values that are not numbers ("1,234.50" ×4, "error" ×4, "inf" ×4) read as missing.');
  });

  it("are reported in the local Autopilot's data exploration notebook, each decision in a list", () => {
    const analysis = analyseTable(withStray, "label");
    const job = { jobName: "stray", roleArn: "arn:aws:iam::111111111111:role/r", inputS3Uri: "s3://b/in/", outputS3Path: "s3://b/out/", target: "label" };
    const notebook = dataExplorationNotebook({ job: { ...job, mode: "ENSEMBLING", problemType: "BinaryClassification", objective: "F1", completionCriteria: {}, seed: 0 }, analysis, table: withStray });
    const body = notebook.cells.map((cell) => cell.source.join("")).join("\n");
    expect(body).toContain("## How the data was read");
    expect(body).toContain('- Column "x": numeric; 12 values that are not numbers \\("1,234.50" ×4, "error" ×4, "inf" ×4\\) read as missing.');
    expect(body).toContain("| x | numeric | feature | 0 | 0.0% | 572 | 12 |");
    expect(body).toMatch(/^\| x \| 588 \| 5\.\d+ \|/m);
  });

  it("and the model learns from them", async () => {
    const result = await runAutoML({ table: withStray, target: "label", maxCandidates: 1, ensembling: "none" });
    expect(result.best.featureImportance[0]!.column).toBe("x");
    expect(result.leaderboard[0]!.metrics.Accuracy).toBeGreaterThan(0.8);
    const model = loadArtifact(result.best.artifact);
    expect(model.predict([["9.5", "0.5"], ["error", "0.5"]]).map((p) => p.predicted_label)).toEqual(["high", expect.stringMatching(/high|low/)]);
  });

  it("but more than 5% of text is a text column", () => {
    const mostlyText = numberTable(600, 1, (x, i) => (i % 16 === 0 ? "error" : x.toFixed(3)));
    expect(column(mostlyText, "x").kind).toBe("categorical");
    const small = numberTable(19, 1, (x, i) => (i === 0 ? "error" : x.toFixed(0)));
    expect(column(small, "x", { minRows: 10 }).kind).toBe("categorical");
  });
});

describe("date columns", () => {
  /** Orders placed on weekends are "late"; the date decides the label, the amount is noise. */
  function ordersTable(rows: number, seed: number, format: (date: Date) => string): Table {
    const random = createRandom(seed);
    return {
      header: ["placed", "amount", "label"],
      rows: Array.from({ length: rows }, () => {
        const date = new Date(Date.UTC(2021, 0, 1) + Math.floor(random.next() * 900) * 86_400_000);
        const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
        return [format(date), (random.next() * 100).toFixed(2), weekend ? "late" : "on-time"];
      }),
    };
  }
  const iso = (date: Date) => date.toISOString().slice(0, 10);

  it("are read in the order their values allow, with or without a time and zone", () => {
    expect(parseDate("2024-03-05", "ymd")).toBe(Date.UTC(2024, 2, 5) / 86_400_000);
    expect(parseDate("2024-03-05T12:00:00+02:00", "ymd")).toBe((Date.UTC(2024, 2, 5, 10) / 86_400_000));
    expect(parseDate("05/03/2024 06:00", "dmy")).toBe(Date.UTC(2024, 2, 5, 6) / 86_400_000);
    expect(parseDate("2024-02-30", "ymd")).toBeNaN();
    const dayFirst = ordersTable(600, 3, (date) => `${date.getUTCDate()}/${date.getUTCMonth() + 1}/${date.getUTCFullYear()}`);
    expect(column(dayFirst, "placed")).toMatchObject({ kind: "date", dateOrder: "dmy", role: "feature" });
    const ambiguous: Table = { header: ["placed", "label"], rows: Array.from({ length: 600 }, (_, i) => [`0${(i % 9) + 1}/0${(i % 7) + 1}/2024`, i % 2 ? "a" : "b"]) };
    expect(column(ambiguous, "placed")).toMatchObject({ kind: "date", dateOrder: "mdy", dateOrderGuessed: true });
  });

  it("become date features the model ranks first when the date decides the label, and serve through both pipeline stages", async () => {
    const table = ordersTable(600, 4, iso);
    const result = await runAutoML({ table, target: "label", maxCandidates: 1, ensembling: "none" });
    expect(result.analysis.columns[0]).toMatchObject({ name: "placed", kind: "date", dateOrder: "ymd" });
    expect(result.analysis.decisions).toContain(
      'Column "placed": dates written year-month-day, learned from as year, month, day of month, day of week (Monday 1 to Sunday 7), day of year, time of day (hours), days since 1970-01-01 (parts constant over the training rows left out).',
    );
    expect(result.best.featureImportance[0]!.column).toBe("placed");
    expect(result.leaderboard[0]!.metrics.Accuracy).toBeGreaterThan(0.95);
    const fresh = ordersTable(50, 5, iso);
    const model = loadArtifact(JSON.parse(JSON.stringify(result.best.artifact)));
    const predictions = model.predict(fresh);
    const correct = predictions.filter((p, i) => p.predicted_label === fresh.rows[i]![2]).length;
    expect(correct / fresh.rows.length).toBeGreaterThan(0.9);
    const { dataProcessor, algorithm } = splitIntoStages(result.best.artifact);
    const scores = loadAlgorithm(algorithm).score(transformFeatures(dataProcessor, fresh));
    expect(scores.map((score) => model.artifact.labels[score.predicted])).toEqual(predictions.map((p) => p.predicted_label));
  });
});

describe("text encodings", () => {
  const lines = ["ville,montant,réponse", ...Array.from({ length: 600 }, (_, i) => `${["Zürich", "Genève", "Montréal"][i % 3]},${(i % 97) / 7},${i % 2 ? "oui_été" : "non_hiver"}`)];
  const text = lines.join("\n");

  it("reads a Latin-1 (Windows-1252) file's accents, saying so, and refuses it under Autopilot's rules naming its likely encoding", () => {
    const { table, format } = readCsvTable(Buffer.from(text, "latin1"), "engine");
    expect(format).toEqual({ encoding: "Windows-1252", delimiter: "," });
    const analysis = analyseTable(table, "réponse", { format });
    expect(analysis.target.labels).toEqual(["non_hiver", "oui_été"]);
    expect(analysis.decisions[0]).toBe("Read 600 rows of 3 columns, as Windows-1252 (Latin-1) since the file is not valid UTF-8, comma-separated.");
    expect(() => readCsvTable(Buffer.from(text, "latin1"), "autopilot")).toThrow(
      new AutoMLInputError("The data is not UTF-8: line 1 holds byte 0xE9; it looks like Windows-1252 (Latin-1) text. Save it as UTF-8."),
    );
    expect(readCsvTable(Buffer.from("a,b\n€,x", "utf8"), "engine").table.rows).toEqual([["€", "x"]]);
    expect(readCsvTable(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x80, 0x2c, 0x93, 0x78, 0x94]), "engine").table.rows).toEqual([["€", "“x”"]]);
  });

  it("reads UTF-8 with or without a byte-order mark, and UTF-16 with one; refuses bytes that are no text it knows", () => {
    expect(readCsvTable(Buffer.from(`\ufeff${text}`, "utf8"), "autopilot").format).toEqual({ encoding: "UTF-8 with BOM", delimiter: "," });
    expect(readCsvTable(Buffer.from(text, "utf8"), "autopilot").table.header).toEqual(["ville", "montant", "réponse"]);
    const utf16 = readCsvTable(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]), "engine");
    expect(utf16.format.encoding).toBe("UTF-16LE");
    expect(utf16.table.rows[1]).toEqual(["Genève", String(1 / 7), "oui_été"]);
    expect(() => readCsvTable(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]), "autopilot")).toThrow(
      "The data is UTF-16LE text (it starts with a UTF-16LE byte-order mark), not UTF-8. Save it as UTF-8.",
    );
    expect(() => readCsvTable(Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0x81, 0x2c, 0x78]), "engine")).toThrow(
      "The data is neither UTF-8 nor Windows-1252 (Latin-1) text (line 2 holds byte 0x81). Save it as UTF-8.",
    );
  });
});

describe("target labels that are one number written two ways", () => {
  it('merges "1" and "1.0" into one class, saying so, and answers with the merged label', async () => {
    const table = numberTable(600, 6);
    table.rows.forEach((row, i) => (row[2] = row[2] === "high" ? (i % 3 === 0 ? "1.0" : "1") : i % 5 === 0 ? "0.00" : "0"));
    const result = await runAutoML({ table, target: "label", maxCandidates: 1, ensembling: "none" });
    expect(result.problemType).toBe("BinaryClassification");
    expect(result.analysis.target).toMatchObject({ labels: ["0", "1"], mergedLabels: [{ label: "0", spellings: ["0", "0.00"] }, { label: "1", spellings: ["1", "1.0"] }] });
    expect(result.analysis.target.classCounts.reduce((a, b) => a + b)).toBe(600);
    expect(result.analysis.decisions).toContain('Target "label": "1" and "1.0" are the same number; merged into label "1".');
    expect(new Set(loadArtifact(result.best.artifact).predict(table.rows.slice(0, 50)).map((p) => p.predicted_label))).toEqual(new Set(["0", "1"]));
  });
});

describe("delimiters other than the comma", () => {
  const rows = numberTable(600, 8).rows;

  it("are detected, and refused under Autopilot's rules naming the delimiter", () => {
    for (const [delimiter, name] of [[";", '";"'], ["\t", "tabs"], ["|", '"|"']] as const) {
      const text = ["x", "noise", "label"].join(delimiter) + "\n" + rows.map((row) => row.join(delimiter)).join("\n");
      const { table, format } = readCsvTable(text, "engine");
      expect(format.delimiter).toBe(delimiter);
      expect(table.header).toEqual(["x", "noise", "label"]);
      expect(analyseTable(table, "label", { format }).decisions[0]).toBe(`Read 600 rows of 3 columns, separated by ${name} (detected: the lines do not split evenly on commas).`);
      expect(() => readCsvTable(text, "autopilot")).toThrow(
        new AutoMLInputError(`The data is not comma-separated: its lines split on ${name} (into 3 columns). Autopilot reads CSV with comma-separated fields; save the file with commas.`),
      );
    }
  });

  it("leave a comma-separated file with semicolons inside its fields comma-separated", () => {
    const text = ["note,x,label", ...rows.map((row, i) => `"a;b;${i}",${row[0]},${row[2]}`)].join("\n");
    expect(readCsvTable(text, "autopilot").format.delimiter).toBe(",");
  });
});
