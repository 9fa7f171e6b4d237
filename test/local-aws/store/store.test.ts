import { afterEach, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Store } from "../../../lib/local-aws/store/store.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "store-test-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Counter {
  count: number;
  history: number[];
}
const counters = (store: Store) => store.table<Counter>("counter", () => ({ count: 0, history: [] }));

describe("Store", () => {
  it("persists per account and reads back after a restart", () => {
    const dir = tempDir();
    const first = new Store(dir);
    counters(first).update("111111111111", (s) => void (s.count = 5));
    counters(first).update("222222222222", (s) => void (s.count = 7));
    const again = new Store(dir);
    expect(counters(again).read("111111111111").count).toBe(5);
    expect(counters(again).read("222222222222").count).toBe(7);
    expect(counters(again).accounts()).toEqual(["111111111111", "222222222222"]);
    const file = join(dir, "accounts", "111111111111", "counter.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("rolls back a mutation that throws, in memory and on disk", () => {
    const dir = tempDir();
    const store = new Store(dir);
    counters(store).update("111111111111", (s) => void (s.count = 1));
    expect(() =>
      counters(store).update("111111111111", (s) => {
        s.count = 99;
        throw new Error("validation failed halfway");
      }),
    ).toThrow("halfway");
    expect(counters(store).read("111111111111").count).toBe(1);
    expect(counters(new Store(dir)).read("111111111111").count).toBe(1);
  });

  it("keeps collections one file per record", () => {
    const dir = tempDir();
    const store = new Store(dir);
    store.collection<{ n: number }>("things").put("111111111111", "a1", { n: 1 });
    store.collection<{ n: number }>("things").put("111111111111", "b2", { n: 2 });
    store.collection<{ n: number }>("things").delete("111111111111", "a1");
    const again = new Store(dir).collection<{ n: number }>("things");
    expect(again.get("111111111111", "b2")).toEqual({ n: 2 });
    expect(again.get("111111111111", "a1")).toBeUndefined();
    expect(() => again.put("111111111111", "../escape", { n: 0 })).toThrow("invalid record id");
  });

  it("reset forgets everything", () => {
    const dir = tempDir();
    const store = new Store(dir);
    counters(store).update("111111111111", (s) => void (s.count = 3));
    store.reset();
    expect(counters(new Store(dir)).read("111111111111").count).toBe(0);
  });

  it("leaves the previous state readable when the writer is killed with SIGKILL mid-write", async () => {
    const dir = tempDir();
    const writer = resolve(import.meta.dirname, "kill-writer.ts");
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, ["--import", "tsx", writer, dir], { stdio: ["ignore", "pipe", "inherit"] });
      await new Promise<void>((ready) => child.stdout.once("data", () => ready()));
      await new Promise((wait) => setTimeout(wait, 20 + round * 37));
      child.kill("SIGKILL");
      await new Promise((exit) => child.once("exit", exit));

      const state = JSON.parse(readFileSync(join(dir, "accounts", "111111111111", "counter.json"), "utf8")) as Counter;
      expect(state.history).toHaveLength(state.count);
      expect(state.history.every((value, i) => value === i + 1)).toBe(true);
    }
    new Store(dir);
    expect(readdirSync(join(dir, "accounts", "111111111111")).some((f) => f.endsWith(".tmp"))).toBe(false);
  });
});
