import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "../..");

describe("npm run local-aws", () => {
  it("prints the endpoint once ready, answers health checks, stops on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "local-aws-cli-"));
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "lib/local-aws/main.ts"), "--port", "0", "--state-dir", dir], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let output = "";
      const endpoint = await new Promise<string>((ready, fail) => {
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const match = /local-aws ready at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) ready(match[1]!);
        });
        child.once("exit", (code) => fail(new Error(`exited with ${code}: ${output}`)));
      });
      expect(output).toContain(`export AWS_SHARED_CREDENTIALS_FILE=${join(dir, "credentials")}`);
      expect(output).not.toMatch(/aws_secret_access_key|[A-Za-z0-9/+]{40}/);
      const health = await fetch(`${endpoint}/_local/health`);
      expect(health.status).toBe(200);

      const exited = new Promise<number | null>((done) => child.once("exit", done));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [["--port", "99999"], '--port must be 0..65535, not "99999"'],
    [["--autopilot-ensembling-max-bytes", "100MB"], '--autopilot-ensembling-max-bytes must be a whole number of bytes, not "100MB"'],
    [["--iam-delay", "2s"], '--iam-delay must be a number of seconds, 0 or more (e.g. 5 or 0.5), not "2s"'],
    [["--iam-delay=-1"], '--iam-delay must be a number of seconds, 0 or more (e.g. 5 or 0.5), not "-1"'],
  ])("refuses %j with a clear message", async (options, message) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "lib/local-aws/main.ts"), ...options], { cwd: root });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once("exit", done));
    expect(code).toBe(1);
    expect(stderr).toContain(message);
  });
});

describe("npm run local-aws account options", () => {
  it("refuses an account id that is not 12 digits", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "lib/local-aws/main.ts"), "--port", "0", "--customer-account", "123"], { cwd: root });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once("exit", done));
    expect(code).toBe(1);
    expect(stderr).toContain('account id "123" must be 12 digits');
  });
});
