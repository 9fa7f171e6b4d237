import { describe, expect, it } from "vitest";
import {
  ArtifactError,
  joinStages,
  loadAlgorithm,
  loadArtifact,
  parseStageArtifact,
  runAutoML,
  splitIntoStages,
  transformFeatures,
  type AutoMLArtifact,
} from "../../lib/automl/index.ts";
import { parseCsv } from "../../lib/automl/csv.ts";
import { binaryCsv, multiclassCsv, regressionCsv } from "./fixtures.ts";

const cases: [string, string, string, string][] = [
  ["binary", binaryCsv(600), binaryCsv(40, 7), "churned"],
  ["multiclass", multiclassCsv(600), multiclassCsv(40, 8), "species"],
  ["regression", regressionCsv(600), regressionCsv(40, 9), "y"],
];

/** Through JSON, as the stages travel to S3 and back. */
const roundTrip = <T>(value: T): string => JSON.stringify(value);

describe.each(cases)("a %s candidate cut into pipeline stages", (_, train, rowsCsv, target) => {
  it("scores rows through feature transform and algorithm as the whole model does, and joins back to the same artifact", async () => {
    const { best } = await runAutoML({ csv: train, target, maxCandidates: 2, seed: 3 });
    const artifact: AutoMLArtifact = best.artifact;
    const { dataProcessor, algorithm } = splitIntoStages(artifact);
    const processor = parseStageArtifact(roundTrip(dataProcessor));
    const scorer = parseStageArtifact(roundTrip(algorithm));
    if (processor.stage !== "data-processor" || scorer.stage !== "algorithm") throw new Error("the stages came back as other stages");

    const rows = parseCsv(rowsCsv).slice(1);
    const transformed = transformFeatures(processor, rows);
    expect(transformed[0]).toHaveLength(artifact.inputColumns.filter((column) => column.role === "feature").length);
    const scores = loadAlgorithm(scorer).score(transformed);
    const whole = loadArtifact(roundTrip(artifact)).predict(rows);
    scores.forEach((score, i) => {
      if (score.probabilities) {
        expect(artifact.labels[score.predicted]).toBe(whole[i]!.predicted_label);
        expect(score.probabilities).toEqual(whole[i]!.probabilities);
      } else {
        expect(String(score.predicted)).toBe(whole[i]!.predicted_label);
      }
    });
    expect(joinStages(processor, scorer)).toEqual(artifact);
  }, 60_000);
});

describe("reading stages", () => {
  it("refuses what is not a stage, another version, or a stage without its fields", () => {
    expect(() => parseStageArtifact("{nope")).toThrow(ArtifactError);
    expect(() => parseStageArtifact(JSON.stringify({ format: "local-autopilot-model" }))).toThrow('Not a pipeline stage of this engine (expected format "local-autopilot-stage").');
    expect(() => parseStageArtifact(JSON.stringify({ format: "local-autopilot-stage", formatVersion: 2 }))).toThrow("Stage format version 2 is not supported");
    expect(() => parseStageArtifact(JSON.stringify({ format: "local-autopilot-stage", formatVersion: 1, problemType: "Regression", stage: "algorithm" }))).toThrow(
      'The stage "algorithm" is unknown or lacks its fields.',
    );
  });
});
