import { beforeAll, describe, expect, it } from "vitest";
import { ArtifactError, AutoMLInputError, loadArtifact, predict, readPredictionCsv, runAutoML, type AutoMLModel } from "../../lib/automl/index.ts";
import { parseCsv } from "../../lib/automl/csv.ts";
import { binaryCsv } from "./fixtures.ts";

describe("predicting from an artifact", () => {
  let model: AutoMLModel;
  const lines = parseCsv(binaryCsv(20, 42));
  const header = lines[0]!;
  const rows = lines.slice(1);
  const withoutTarget = rows.map((row) => row.slice(0, 6));
  beforeAll(async () => {
    const result = await runAutoML({ csv: binaryCsv(600), target: "churned", maxCandidates: 1, seed: 5 });
    model = loadArtifact(JSON.stringify(result.best.artifact));
  });

  it("answers the same for bare rows with or without the target, and for named columns in any order", () => {
    const expected = predict(model, withoutTarget);
    expect(expected).toHaveLength(20);
    expect(predict(model, rows)).toEqual(expected);
    const reordered = [...header].reverse();
    const named = { header: [...reordered, "extra"], rows: rows.map((row) => [...[...row].reverse(), "ignored"]) };
    expect(predict(model, named)).toEqual(expected);
    const [negative, positive] = model.artifact.labels;
    for (const p of expected) {
      expect(["no", "yes"]).toContain(p.predicted_label);
      expect(p.predicted_label).toBe(p.probability! > model.artifact.decisionThreshold! ? positive : negative);
    }
  });

  it("tells a header line from data in CSV", () => {
    const bare = withoutTarget.map((row) => row.join(",")).join("\n");
    const input = readPredictionCsv(model.artifact, bare);
    expect(Array.isArray(input)).toBe(true);
    const withHeader = readPredictionCsv(model.artifact, `${header.join(",")}\n${rows.map((row) => row.join(",")).join("\n")}`);
    expect(withHeader).toMatchObject({ header });
    expect(predict(model, withHeader)).toEqual(predict(model, input));
  });

  it("refuses rows of the wrong width or lacking a feature column", () => {
    expect(() => predict(model, [["1", "2"]])).toThrow(
      new AutoMLInputError("Rows have 2 fields; the model expects 6 (the training columns without the target, in training order) or 7 (with it)."),
    );
    expect(() => predict(model, { header: ["usage", "calls"], rows: [["1", "2"]] })).toThrow(new AutoMLInputError('The rows lack the model\'s input columns "plan", "color".'));
  });

  it("treats unparsable numbers as missing and unseen categories as rare ones", () => {
    const odd = [["C-1", "not a number", "3", "maybe", "purple", "south"]];
    expect(predict(model, odd)[0]!.probability).toBeGreaterThanOrEqual(0);
  });
});

describe("loading artifacts", () => {
  it("refuses what is not an artifact of this engine, or of another format version", () => {
    expect(() => loadArtifact("{not json")).toThrow(ArtifactError);
    expect(() => loadArtifact({ format: "something-else" })).toThrow('Not a model artifact of this engine (expected format "local-autopilot-model").');
    expect(() => loadArtifact({ format: "local-autopilot-model", formatVersion: 99 })).toThrow(
      "Model artifact format version 99 is not supported (this engine reads versions 1 and 2).",
    );
  });
});
