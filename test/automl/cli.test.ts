import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { automl } from "./cli-run.ts";
import { binaryCsv } from "./fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "automl-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("automl CLI", () => {
  const trainFile = join(dir, "train.csv");
  const out = join(dir, "model");
  writeFileSync(trainFile, binaryCsv(600));

  it("trains, prints progress and the leaderboard, and writes the artifacts", () => {
    const run = automl("train", "--data", trainFile, "--target", "churned", "--max-candidates", "3", "--seed", "3", "--out", out);
    expect(run.stderr).toContain("[ModelTuning] 3/3 candidates");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^rank +candidate +algorithm +F1 +LogLoss +threshold( +calibration)? +fit s +status +hyperparameters$/m);
    expect(run.stdout).toMatch(/^1 +\S+ +\S+ +0\.\d+/m);
    expect(run.stdout).toContain("Best: ");
    expect(readdirSync(out).sort()).toEqual(["candidates", "leaderboard.json", "model.json"]);
    const summary = JSON.parse(readFileSync(join(out, "leaderboard.json"), "utf8"));
    const completed = summary.leaderboard.filter((entry: { status: string }) => entry.status === "Completed").map((entry: { name: string }) => `${entry.name}.json`);
    expect(readdirSync(join(out, "candidates")).sort()).toEqual(completed.sort());
    expect(completed).toEqual(expect.arrayContaining(["gbdt-001.json", "linear-002.json", "mlp-003.json"]));
    expect(summary.problemType).toBe("BinaryClassification");
  });

  it("predicts one `predicted_label,probability` line per row under a header line, from rows with or without a header", () => {
    const lines = binaryCsv(30, 8).split("\n");
    const bare = lines.slice(1).map((line) => line.split(",").slice(0, 6).join(","));
    const bareFile = join(dir, "bare.csv");
    writeFileSync(bareFile, bare.join("\n"));
    const run = automl("predict", "--model", out, "--data", bareFile);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const [columns, ...answers] = run.stdout.trimEnd().split("\n");
    expect(columns).toBe("predicted_label,probability");
    expect(answers).toHaveLength(30);
    for (const answer of answers) expect(answer).toMatch(/^(yes|no),(0|1|0\.\d+|\d(\.\d+)?e-\d+)$/);

    const headedFile = join(dir, "headed.csv");
    writeFileSync(headedFile, lines.join("\n"));
    const outFile = join(dir, "predictions.csv");
    expect(automl("predict", "--model", join(out, "model.json"), "--data", headedFile, "--out", outFile).code).toBe(0);
    expect(readFileSync(outFile, "utf8")).toBe(run.stdout);
  });

  it("exits 2 with the usage for a bad command line, 1 with the reason for bad data", () => {
    const unknown = automl("train", "--data", trainFile, "--target", "churned", "--out", out, "--speed", "fast");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--speed'");
    expect(unknown.stderr).toContain("Usage:");
    const missing = automl("predict", "--model", out, "--data", join(dir, "nope.csv"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`Cannot read --data ${join(dir, "nope.csv")}: no such file.`);
    const badTarget = automl("train", "--data", trainFile, "--target", "Churned", "--out", out);
    expect(badTarget.code).toBe(1);
    expect(badTarget.stderr).toContain(`\nautoml: Target column "Churned" is not in the header ("customer", "usage", "calls", "plan", "color", "region", "churned"). Did you mean "churned"?\n`);
  });
});
