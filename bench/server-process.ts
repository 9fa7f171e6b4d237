import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "ini";

export interface ServerProcess {
  endpoint: string;
  pid: number;
  credentials(profile: string): { accessKeyId: string; secretAccessKey: string };
  stop(): void;
}

/** Runs the local AWS as its own process, as `npm run local-aws` does, with its state in a temp dir. */
export async function spawnLocalAws(): Promise<ServerProcess> {
  const stateDir = mkdtempSync(join(tmpdir(), "bench-local-aws-"));
  const server: ChildProcess = spawn(process.execPath, ["--import", "tsx", "lib/local-aws/main.ts", "--port", "0", "--state-dir", stateDir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const endpoint = await new Promise<string>((ready, fail) => {
    let output = "";
    server.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready at (\S+)/.exec(output);
      if (match) ready(match[1]!);
    });
    server.once("exit", (code) => fail(new Error(`local-aws exited with ${code}`)));
  });
  const profiles = parse(readFileSync(join(stateDir, "credentials"), "utf8"));
  return {
    endpoint,
    pid: server.pid!,
    credentials: (profile) => ({ accessKeyId: profiles[profile].aws_access_key_id, secretAccessKey: profiles[profile].aws_secret_access_key }),
    stop: () => {
      server.kill("SIGTERM");
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Resident memory of a process in bytes, from /proc. */
export function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(match?.[1] ?? 0) * 1024;
}
