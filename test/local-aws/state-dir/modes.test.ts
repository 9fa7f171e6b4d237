import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runNode } from "./processes.ts";

const root = mkdtempSync(join(tmpdir(), "state-dir-modes-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the state dir's modes", () => {
  it("are 0700 for directories and 0600 for files even under umask 000", async () => {
    const run = runNode("test/local-aws/state-dir/umask-server.ts", [join(root, "new", "state")]);
    expect(await run.exit, run.output()).toBe(0);
    const modes = JSON.parse(run.output().split("\n").find((line) => line.startsWith("{"))!) as Record<string, string>;
    const paths = Object.keys(modes);
    for (const expected of ["accounts/111111111111/iam.json", "credentials", "config", "server.json", "s3/modes/blobs/", "s3/modes/objects/"]) expect(paths).toContain(expected);
    expect(paths.some((path) => /^s3\/modes\/uploads\/[0-9a-f]{32}\/part-1$/.test(path))).toBe(true);
    for (const [path, mode] of Object.entries(modes)) expect(`${path} ${mode}`).toBe(`${path} ${path === "." || path.endsWith("/") ? "700" : "600"}`);
  }, 60_000);
});
