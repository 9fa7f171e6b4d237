import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureLocalAwsRunning, runningServer, stopLocalAws } from "../../lib/local-aws/background.ts";
import { readServerFile, serverFilePath } from "../../lib/local-aws/server-file.ts";

const dir = mkdtempSync(join(tmpdir(), "background-aws-"));
afterAll(async () => {
  await stopLocalAws(dir);
  rmSync(dir, { recursive: true, force: true });
});

describe("the local AWS in the background", () => {
  it("starts once, is found by the next caller, and stops; a stale server file does not fool it", async () => {
    // A server file left by a process that is gone (a SIGKILL, a reboot) names nothing that answers.
    writeFileSync(serverFilePath(dir), JSON.stringify({ endpoint: "http://127.0.0.1:9", pid: 2 ** 22 + 1, iamDelaySeconds: 0 }));
    expect(await runningServer(dir)).toBeUndefined();

    const first = await ensureLocalAwsRunning(dir, { iamDelaySeconds: 0.5 });
    expect(first.started).toBe(true);
    expect(first.iamDelaySeconds).toBe(0.5);
    expect(first.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.pid).not.toBe(process.pid);
    const health = (await (await fetch(`${first.endpoint}/_local/health`)).json()) as { pid: number };
    expect(health.pid).toBe(first.pid);
    expect(readFileSync(join(dir, "credentials"), "utf8")).toContain("[saas_config]");

    const second = await ensureLocalAwsRunning(dir);
    expect(second).toMatchObject({ started: false, endpoint: first.endpoint, pid: first.pid, iamDelaySeconds: 0.5 });

    expect(await stopLocalAws(dir)).toBe(true);
    expect(await runningServer(dir)).toBeUndefined();
    expect(readServerFile(dir)).toBeUndefined();
    expect(await stopLocalAws(dir)).toBe(false);
    expect(readFileSync(first.logFile, "utf8")).toContain(`local-aws ready at ${first.endpoint}`);
  }, 60_000);
});
