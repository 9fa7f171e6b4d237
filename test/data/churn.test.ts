import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CHURN_COLUMNS, DEFAULT_OUTPUT, generateChurn } from "../../data/generate-churn.ts";

// The facts of shared/data/churn-profile.md. `meanPrecision` is half the last digit the profile
// gives, added to the sampling tolerance.
const NUMERIC_FACTS = [
  { column: "Account Length", kind: "int", min: 1, max: 200, mean: 101.7, meanPrecision: 0.05 },
  { column: "Area Code", kind: "int", min: 657, max: 878, mean: 773.8, meanPrecision: 0.05 },
  { column: "VMail Message", kind: "int", min: 0, max: 1300, mean: 226.7, meanPrecision: 0.05 },
  { column: "Day Mins", kind: "float", min: 0, max: 16.9, mean: 5.52, meanPrecision: 0.005 },
  { column: "Day Calls", kind: "int", min: 0, max: 10, mean: 3.5, meanPrecision: 0.005 },
  { column: "Day Charge", kind: "float", min: 0, max: 12.7, mean: 5.02, meanPrecision: 0.005 },
  { column: "Eve Mins", kind: "float", min: 0, max: 13.6, mean: 5.03, meanPrecision: 0.005 },
  { column: "Eve Calls", kind: "int", min: 0, max: 14, mean: 3.14, meanPrecision: 0.005 },
  { column: "Eve Charge", kind: "float", min: 0, max: 12.4, mean: 5.02, meanPrecision: 0.005 },
  { column: "Night Mins", kind: "float", min: 0, max: 10.2, mean: 4.0, meanPrecision: 0.005 },
  { column: "Night Calls", kind: "int", min: 0, max: 550, mean: 224.8, meanPrecision: 0.05 },
  { column: "Night Charge", kind: "float", min: 0, max: 10.4, mean: 5.02, meanPrecision: 0.005 },
  { column: "Intl Mins", kind: "float", min: 1.6, max: 8.4, mean: 5.03, meanPrecision: 0.005 },
  { column: "Intl Calls", kind: "int", min: 0, max: 12, mean: 5.48, meanPrecision: 0.005 },
  { column: "Intl Charge", kind: "float", min: 0, max: 14.2, mean: 4.33, meanPrecision: 0.005 },
  { column: "CustServ Calls", kind: "int", min: 0, max: 13, mean: 5.53, meanPrecision: 0.005 },
] as const;

const DISTINCT_COUNTS = { State: 51, "Area Code": 33, "VMail Message": 14, "Night Calls": 12 };

const STATES = new Set(
  ("AK AL AR AZ CA CO CT DC DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH " +
    "NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY").split(" "),
);

const GENERATOR = fileURLToPath(new URL("../../data/generate-churn.ts", import.meta.url));
const TSX = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));

interface ChurnTable {
  header: string[];
  rows: string[][];
  column(name: string): string[];
  numbers(name: string): number[];
}

function parseChurn(text: string): ChurnTable {
  const [headerLine = "", ...lines] = text.split("\n");
  const header = headerLine.split(",");
  const rows = lines.map((line) => line.split(","));
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`no column ${name}`);
    return rows.map((row) => row[index] ?? "");
  };
  return { header, rows, column, numbers: (name) => column(name).map(Number) };
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function standardDeviation(values: number[]): number {
  const average = mean(values);
  const squares = values.reduce((sum, value) => sum + (value - average) * (value - average), 0);
  return Math.sqrt(squares / (values.length - 1));
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function generateWithCli(args: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "churn-"));
  temporaryDirs.push(dir);
  const out = join(dir, "churn.txt");
  execFileSync(TSX, [GENERATOR, "--out", out, ...args], { stdio: "pipe" });
  return readFileSync(out, "utf8");
}

const temporaryDirs: string[] = [];
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

/** The facts that hold at any row count: schema, types, ranges, balance, IDs, states. */
function expectChurnShape(table: ChurnTable, rows: number): void {
  expect(table.header).toEqual([...CHURN_COLUMNS]);
  expect(table.rows).toHaveLength(rows);
  expect(table.rows.filter((row) => row.length !== CHURN_COLUMNS.length)).toEqual([]);

  const churn = countBy(table.column("Churn?"));
  expect([...churn.keys()].sort()).toEqual(["False.", "True."]);
  expect(churn.get("True.")).toBe(Math.round((rows * 2_498) / 5_000));

  for (const fact of NUMERIC_FACTS) {
    const fields = table.column(fact.column);
    const values = fields.map(Number);
    if (fact.kind === "int") {
      expect(fields.filter((field) => !/^\d+$/.test(field)), fact.column).toEqual([]);
      expect(Math.min(...values), fact.column).toBe(fact.min);
      expect(Math.max(...values), fact.column).toBe(fact.max);
    } else {
      // The profile's float ranges are rounded to one decimal.
      expect(Math.min(...values), fact.column).toBeGreaterThanOrEqual(fact.min);
      expect(Math.min(...values), fact.column).toBeLessThan(fact.min + 0.05);
      expect(Math.max(...values), fact.column).toBeLessThanOrEqual(fact.max);
      expect(Math.max(...values), fact.column).toBeGreaterThan(fact.max - 0.05);
    }
  }

  for (const plan of ["Int'l Plan", "VMail Plan"]) {
    const answers = table.column(plan);
    expect(new Set(answers), plan).toEqual(new Set(["yes", "no"]));
    const yesShare = answers.filter((answer) => answer === "yes").length / rows;
    expect(yesShare, plan).toBeGreaterThan(0.45);
    expect(yesShare, plan).toBeLessThan(0.55);
  }

  const phones = table.column("Phone");
  expect(phones.filter((phone) => !/^\d{3}-\d{4}$/.test(phone))).toEqual([]);
  const repeats = [...countBy(phones).values()].filter((count) => count > 1);
  expect(repeats).toEqual([2]);

  expect(table.column("State").filter((state) => !STATES.has(state))).toEqual([]);
  const areaCodes = new Set(table.column("Area Code"));
  expect(areaCodes.size).toBe(DISTINCT_COUNTS["Area Code"]);
}

/** Means within three standard errors of the profile's, plus the profile's own rounding. */
function expectProfileMeans(table: ChurnTable): void {
  for (const fact of NUMERIC_FACTS) {
    const values = table.numbers(fact.column);
    const standardError = standardDeviation(values) / Math.sqrt(values.length);
    const tolerance = 3 * standardError + fact.meanPrecision;
    expect(Math.abs(mean(values) - fact.mean), fact.column).toBeLessThanOrEqual(tolerance);
  }
}

describe("data/churn.txt", () => {
  const committed = readFileSync(DEFAULT_OUTPUT, "utf8");
  const table = parseChurn(committed);

  it("is what the generator makes with its defaults, byte for byte", () => {
    expect(generateChurn() === committed).toBe(true);
    expect(generateChurn({ rows: 5_000, seed: 200 }) === committed).toBe(true);
  });

  it("is what the command line writes with its defaults", () => {
    expect(generateWithCli([]) === committed).toBe(true);
  });

  it("has the header, 5,000 rows, plain newlines and no trailing newline", () => {
    expect(committed.startsWith(`${CHURN_COLUMNS.join(",")}\n`)).toBe(true);
    expect(committed.endsWith("\n")).toBe(false);
    expect(committed.includes("\r")).toBe(false);
    expectChurnShape(table, 5_000);
  });

  it("has 2,498 True. and 2,502 False.", () => {
    const churn = countBy(table.column("Churn?"));
    expect(churn.get("True.")).toBe(2_498);
    expect(churn.get("False.")).toBe(2_502);
  });

  it("has the profile's means, and Day Mins its spread", () => {
    expectProfileMeans(table);
    expect(standardDeviation(table.numbers("Day Mins"))).toBeCloseTo(3.43, 1);
  });

  it("has the profile's distinct counts, and VMail Message a median of 0", () => {
    for (const [column, count] of Object.entries(DISTINCT_COUNTS)) {
      expect(new Set(table.column(column)).size, column).toBe(count);
    }
    const messages = table.numbers("VMail Message").sort((a, b) => a - b);
    expect(messages[messages.length / 2 - 1]).toBe(0);
    expect(messages[messages.length / 2]).toBe(0);
    expect(messages.every((count) => count % 100 === 0)).toBe(true);
    expect(new Set(table.numbers("Night Calls").map((calls) => calls % 50))).toEqual(new Set([0]));
  });

  it("has Phone unique but for one number that appears twice", () => {
    const phones = table.column("Phone");
    expect(new Set(phones).size).toBe(4_999);
    expect([...countBy(phones).values()].filter((count) => count > 1)).toEqual([2]);
  });

  it("has RI as the most common state, with 120 customers", () => {
    const states = countBy(table.column("State"));
    expect(states.get("RI")).toBe(120);
    const others = [...states].filter(([state]) => state !== "RI").map(([, count]) => count);
    expect(Math.max(...others)).toBeLessThan(120);
  });

  it("writes floats at full double precision, as shortest round-trip decimals", () => {
    const floatColumns = NUMERIC_FACTS.filter((fact) => fact.kind === "float");
    const significantDigits = (field: string) => field.replace(".", "").replace(/^0+/, "").length;
    for (const { column } of floatColumns) {
      const badlyWritten = table
        .column(column)
        .filter(
          (field) =>
            String(Number(field)) !== field || !/^\d+\.\d+$/.test(field) || significantDigits(field) < 12,
        );
      expect(badlyWritten, column).toEqual([]);
    }
  });

  it("makes churn depend on several columns, none of which decides it", () => {
    const churned = table.column("Churn?").map((label) => label === "True.");
    const churnRate = (rows: boolean[]) =>
      churned.filter((churn, row) => churn && rows[row]).length / rows.filter(Boolean).length;
    const custServ = table.numbers("CustServ Calls");
    const manyCalls = churnRate(custServ.map((calls) => calls >= 8));
    const fewCalls = churnRate(custServ.map((calls) => calls < 8));
    expect(manyCalls).toBeGreaterThan(fewCalls + 0.2);
    expect(manyCalls).toBeLessThan(1);
    const vmail = table.column("VMail Plan").map((plan) => plan === "yes");
    expect(churnRate(vmail)).toBeLessThan(churnRate(vmail.map((hasPlan) => !hasPlan)) - 0.1);
  });
});

describe("generateChurn", () => {
  it("gives a different file for a different seed, of the same shape", () => {
    const other = generateChurn({ seed: 201 });
    expect(other === generateChurn()).toBe(false);
    expectChurnShape(parseChurn(other), 5_000);
  });

  it("keeps the shape, balance and means at --rows 20000", () => {
    const table = parseChurn(generateWithCli(["--rows", "20000"]));
    expectChurnShape(table, 20_000);
    expect(table.column("Churn?").filter((label) => label === "True.")).toHaveLength(9_992);
    expect(countBy(table.column("State")).get("RI")).toBe(480);
    expectProfileMeans(table);
  });

  it("rejects row counts it cannot make", () => {
    expect(() => generateChurn({ rows: 1 })).toThrow(/rows/);
    expect(() => generateChurn({ rows: 2.5 })).toThrow(/rows/);
  });
});
