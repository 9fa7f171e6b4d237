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
import { formatCsvRow, parseCsv } from "../../lib/automl/csv.ts";
import { createRandom } from "../../lib/automl/rng.ts";
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

/** A category holding a comma and a double quote decides the label; it comes first, so a field split in two would shift the rest. */
function quotedCategoryCsv(rows: number): string {
  const random = createRandom(11);
  const tones = ['red, "dark"', "green", "blue"];
  const lines = [formatCsvRow(["tone", "usage", "churned"])];
  for (let i = 0; i < rows; i++) {
    const tone = tones[random.int(tones.length)]!;
    const usage = random.next() * 10;
    const churned = (tone === tones[0] ? 3 : 0) + usage - 5 + (random.next() - 0.5) * 4 > 0;
    lines.push(formatCsvRow([tone, usage.toFixed(3), churned ? "yes" : "no"]));
  }
  return lines.join("\n");
}

describe("a category with a comma and a double quote, and one unseen in training, through the pipeline as CSV", () => {
  it("crosses the containers as CSV intact and scores as the whole model does", async () => {
    const { best } = await runAutoML({ csv: quotedCategoryCsv(600), target: "churned", maxCandidates: 2, seed: 3 });
    const { dataProcessor, algorithm } = splitIntoStages(best.artifact);
    const rows = [
      ['red, "dark"', "4.5"],
      [' red, "dark" ', "4.5"],
      ["purple", "4.5"],
      ["green", "4.5"],
      ["", "4.5"],
    ];
    const transformed = transformFeatures(dataProcessor, rows);
    expect(transformed.map((row) => row[0])).toEqual(['red, "dark"', 'red, "dark"', "purple", "green", ""]);
    const wire = transformed.map(formatCsvRow).join("\n");
    expect(wire.split("\n")[0]).toBe('"red, ""dark""",4.5');
    const received = parseCsv(wire);
    expect(received).toEqual(transformed);

    const scores = loadAlgorithm(algorithm).score(received);
    const whole = loadArtifact(roundTrip(best.artifact)).predict(rows);
    expect(scores.map((score) => score.probabilities)).toEqual(whole.map((prediction) => prediction.probabilities));
    expect(scores.map((score) => best.artifact.labels[score.predicted])).toEqual(whole.map((prediction) => prediction.predicted_label));
    // The quoted category was read as the one trained on: it scores unlike the unseen one and alike with its padded spelling.
    expect(scores[1]!.probabilities).toEqual(scores[0]!.probabilities);
    const yes = best.artifact.labels.indexOf("yes");
    expect(scores[0]!.probabilities![yes]!).toBeGreaterThan(scores[2]!.probabilities![yes]! + 0.1);
  }, 60_000);
});

describe("reading stages", () => {
  it("refuses what is not a stage, another version, or a stage without its fields", () => {
    expect(() => parseStageArtifact("{nope")).toThrow(ArtifactError);
    expect(() => parseStageArtifact(JSON.stringify({ format: "local-autopilot-model" }))).toThrow('Not a pipeline stage of this engine (expected format "local-autopilot-stage").');
    expect(() => parseStageArtifact(JSON.stringify({ format: "local-autopilot-stage", formatVersion: 99 }))).toThrow("Stage format version 99 is not supported (this engine reads versions 1 and 2).");
    expect(() => parseStageArtifact(JSON.stringify({ format: "local-autopilot-stage", formatVersion: 1, problemType: "Regression", stage: "algorithm" }))).toThrow(
      'The stage "algorithm" is unknown or lacks its fields.',
    );
  });
});
