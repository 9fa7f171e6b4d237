import { afterEach, describe, expect, it } from "vitest";
import { encodeFeatures } from "../../lib/automl/encoding.ts";
import { RoundCache, runFit, type FitContext } from "../../lib/automl/search/fit-task.ts";
import { FitInterrupted, WorkerPool } from "../../lib/automl/search/pool.ts";
import { inSharedMemory } from "../../lib/automl/search/shared-memory.ts";
import { makeValidationSplit } from "../../lib/automl/search/validation.ts";

const rows = Array.from({ length: 300 }, (_, i) => [String(i % 17), String((i * 7) % 5)]);
const y = Float64Array.from(rows, (row) => (Number(row[0]) > 8 ? 1 : 0));
const context: FitContext = {
  data: encodeFeatures(rows, [{ name: "a", kind: "numeric" }, { name: "b", kind: "numeric" }], [0, 1]),
  y,
  split: makeValidationSplit(y, y.length, 1),
  task: { kind: "binary" },
  seed: 1,
};
const fit = { algorithm: "linear" as const, params: {}, seed: 1, round: 0 };

describe("the worker pool (worker threads loaded from the .ts sources under vitest)", () => {
  let pool: WorkerPool | undefined;
  afterEach(() => pool?.close());

  it("fits in its threads, and reports a learner's error as that fit's failure only", async () => {
    pool = new WorkerPool(2, context);
    const [a, b] = await Promise.all([pool.run(fit), pool.run({ ...fit, round: 1 })]);
    expect(a.output.length + b.output.length).toBe(120);
    await expect(pool.run({ ...fit, params: { learningRate: 1 } })).rejects.toThrow(/unknown hyperparameter "learningRate"/);
    expect((await pool.run(fit)).output).toEqual(a.output);
  });

  it("shares the job's data with its threads when it is in shared memory, and fits on it as on a copy", async () => {
    const shared = inSharedMemory(context);
    const arrays = [shared.y, shared.split.foldOf, ...shared.data.columns.map((column) => (column.kind === "categorical" ? column.codes : column.values))];
    expect(arrays.every((array) => array.buffer instanceof SharedArrayBuffer)).toBe(true);
    expect(shared.data.columns).toEqual(context.data.columns);
    pool = new WorkerPool(1, shared);
    expect((await pool.run(fit)).output).toEqual(runFit(context, fit, new RoundCache()).output);
  });

  it("replaces a thread whose fit runs past its hard limit, and goes on", async () => {
    pool = new WorkerPool(1, context);
    await expect(pool.run(fit, 1)).rejects.toThrow(new FitInterrupted("a fit ran past its hard limit of 0.0 s"));
    expect((await pool.run(fit)).output.length).toBe(60);
  });

  it("fails the fits under way and waiting when closed", async () => {
    pool = new WorkerPool(1, context);
    const running = expect(pool.run(fit)).rejects.toThrow(FitInterrupted);
    const queued = expect(pool.run({ ...fit, round: 1 })).rejects.toThrow(FitInterrupted);
    await pool.close();
    await running;
    await queued;
    await expect(pool.run(fit)).rejects.toThrow("the worker pool is closed");
  });
});
