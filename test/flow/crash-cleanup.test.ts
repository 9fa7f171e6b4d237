import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BLOG_NAMES } from "../../lib/flow/names.ts";
import type { RunState } from "../../lib/flow/run-state.ts";
import { startLocalTarget } from "../../lib/flow/targets.ts";
import { leftovers } from "./leftovers.ts";
import { npmStart } from "../helpers/npm-start.ts";

const dir = mkdtempSync(join(tmpdir(), "flow-crash-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm start", () => {
  it("runs the whole flow, cleans up, and writes the result charts to --results", async () => {
    const results = join(dir, "charts");
    const run = await npmStart(["--max-candidates", "2", "--results", results]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/✔ cleanup/);
    for (const name of ["confusion-matrix.svg", "roc-curve.svg", "feature-importance.svg"]) {
      expect(run.output).toContain(join(results, name));
      expect(readFileSync(join(results, name), "utf8")).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    }
    expect(readFileSync(join(results, "confusion-matrix.svg"), "utf8")).toContain("Confusion matrix (1000 test rows)");
  }, 120_000);
});

describe("npm start after a crash", () => {
  it("--step cleanup removes everything a killed run (least-privilege, direct data path) left behind", async () => {
    const crashed = await npmStart(["--state-dir", dir, "--max-candidates", "2", "--data-path", "direct", "--least-privilege"], { killAfter: "✔ deploy" });
    expect(crashed.signal, crashed.output).toBe("SIGKILL");
    const state = JSON.parse(readFileSync(join(dir, "run-state.json"), "utf8")) as RunState;
    expect(state.endpoint).toBeDefined();
    expect(state.saasBucket).toBeDefined();

    const cleanup = await npmStart(["--state-dir", dir, "--step", "cleanup"]);
    expect(cleanup.code, cleanup.output).toBe(0);
    expect(cleanup.output).toMatch(/✔ cleanup \(\d+\.\d\d s\)/);

    const running = await startLocalTarget(dir);
    try {
      expect(await leftovers(running.target, BLOG_NAMES, "inspector")).toEqual([]);
    } finally {
      await running.stop();
    }
  }, 120_000);
});
