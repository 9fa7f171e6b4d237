import { afterAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BLOG_NAMES } from "../../lib/flow/names.ts";
import type { RunState } from "../../lib/flow/run-state.ts";
import { startLocalTarget } from "../../lib/flow/targets.ts";
import { leftovers } from "./leftovers.ts";
import { npmStart } from "../helpers/npm-start.ts";

const dir = mkdtempSync(join(tmpdir(), "flow-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a kept run in `stateDir` has left, seen through a local AWS started on its state. */
async function leftoversIn(stateDir: string, inspector: string): Promise<string[]> {
  const running = await startLocalTarget(stateDir);
  try {
    return await leftovers(running.target, BLOG_NAMES, inspector);
  } finally {
    await running.stop();
  }
}

describe("npm start", () => {
  it("runs the whole flow, scoring with the endpoint and a transform job that agree, cleans up, and writes both's charts and predictions to --results, without the SDK's Node-version warning", async () => {
    const results = join(dir, "charts");
    const run = await npmStart(["--max-candidates", "2", "--predict-with", "both", "--results", results]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/✔ cleanup/);
    expect(run.output).not.toContain("NodeVersionSupportWarning");
    expect(run.output).toMatch(/^ {2}2 candidates \(MaxCandidates 2\), 2 completed, best F1 first; ★ marks the job's best$/m);
    expect(run.output).toMatch(/^ {2}the first 10 of 1000 test rows as the endpoint predicted them; \d+ of 1000 misclassified \(✗\)/m);
    const predictions = readFileSync(join(results, "predictions.csv"), "utf8").split("\n");
    expect(predictions[0]).toMatch(/,Churn\?,predicted_label,probability False\.,probability True\.,correct$/);
    expect(predictions.filter(Boolean)).toHaveLength(1001);
    for (const name of ["confusion-matrix.svg", "roc-curve.svg", "precision-recall.svg", "thresholds.svg", "feature-importance.svg"]) {
      expect(run.output).toContain(join(results, name));
      expect(readFileSync(join(results, name), "utf8")).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
    expect(readFileSync(join(results, "confusion-matrix.svg"), "utf8")).toContain("Confusion matrix (1000 test rows)");
    // The transform job's: the same rows, the same answers, under batch- names.
    expect(run.output).toMatch(/^ {2}the first 10 of 1000 test rows as the transform job predicted them; \d+ of 1000 misclassified \(✗\)/m);
    expect(run.output).toContain("  the transform job and the endpoint agree on all 1000 rows (label and every probability)");
    expect(readFileSync(join(results, "batch-predictions.csv"), "utf8")).toBe(predictions.join("\n"));
    for (const name of ["confusion-matrix", "roc-curve", "precision-recall", "thresholds"]) expect(readFileSync(join(results, `batch-${name}.svg`), "utf8")).toBe(readFileSync(join(results, `${name}.svg`), "utf8"));
    expect(existsSync(join(results, "batch-feature-importance.svg"))).toBe(false);
  }, 120_000);

  it("--predict-with batch --least-privilege: no endpoint, the transform job's answers evaluated and written; kept, then removed by --step cleanup", async () => {
    const stateDir = join(dir, "batch-only");
    const results = join(dir, "batch-results");
    const run = await npmStart(["--state-dir", stateDir, "--max-candidates", "2", "--predict-with", "batch", "--least-privilege", "--keep", "--results", results]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("test rows scored by a batch transform job (no endpoint)");
    expect(run.output).not.toMatch(/▶ (deploy|predict)/);
    expect(run.output).toMatch(/^ {2}accuracy 0\.\d{4} {2}precision 0\.\d{4} {2}recall 0\.\d{4} {2}F1 0\.\d{4} {2}AUC 0\.\d{4}$/m);
    const state = JSON.parse(readFileSync(join(stateDir, "run-state.json"), "utf8")) as RunState;
    expect(state.endpoint).toBeUndefined();
    expect(readFileSync(join(results, "batch-predictions.csv"), "utf8").split("\n").filter(Boolean)).toHaveLength(1001);
    expect(existsSync(join(results, "predictions.csv"))).toBe(false);
    // Kept: the transform job's model, but no endpoint nor its config, and no transform job still running.
    const kept = await leftoversIn(stateDir, "inspector-kept");
    expect(kept).toContain(`customer_config: model ${state.transform!.model}`);
    expect(kept.filter((what) => /endpoint|transform job|job churn/.test(what))).toEqual([]);

    const cleanup = await npmStart(["--state-dir", stateDir, "--step", "cleanup"]);
    expect(cleanup.code, cleanup.output).toBe(0);
    expect(cleanup.output).toContain(`  kept transform job ${state.transform!.transformJob}: it ended Completed`);
    expect(cleanup.output).toContain(`  removed model ${state.transform!.model}`);
    expect(cleanup.output).toContain(`  removed transform job ${state.transform!.transformJob}'s output`);
    expect(cleanup.output).toContain("  removed role customer_sagemaker_execution");
    expect(await leftoversIn(stateDir, "inspector-after")).toEqual([]);
  }, 120_000);
});

describe("npm start after a crash", () => {
  it("--step cleanup removes everything a run killed during its transform job (least-privilege, direct data path) left behind", async () => {
    const crashed = await npmStart(["--state-dir", dir, "--max-candidates", "2", "--data-path", "direct", "--least-privilege", "--predict-with", "both"], { killAfter: "  transform job churn-" });
    expect(crashed.signal, crashed.output).toBe("SIGKILL");
    const state = JSON.parse(readFileSync(join(dir, "run-state.json"), "utf8")) as RunState;
    expect(state.endpoint).toBeDefined();
    expect(state.saasBucket).toBeDefined();
    // Killed with the SaaS bucket open to the transform job, its input there and the job recorded.
    expect(state.saasBucketPolicy).toBe(true);
    expect(state.transform!.saasInputKeys).toHaveLength(1);

    const cleanup = await npmStart(["--state-dir", dir, "--step", "cleanup"]);
    expect(cleanup.code, cleanup.output).toBe(0);
    expect(cleanup.output).toMatch(/✔ cleanup \(\d+\.\d\d s\)/);
    // Killed with it, the local AWS runs the job again when it next starts: cleanup stops it, unless it has ended by then.
    expect(cleanup.output).toMatch(new RegExp(`  (stopped transform job ${state.transform!.transformJob}\n|kept transform job ${state.transform!.transformJob}: it ended Completed)`));
    expect(cleanup.output).toContain(`  removed transform job ${state.transform!.transformJob}'s input (1 object(s) in s3://${state.saasBucket})`);
    expect(cleanup.output).toContain(`  removed bucket policy of ${state.saasBucket}`);

    expect(await leftoversIn(dir, "inspector")).toEqual([]);
  }, 120_000);
});
