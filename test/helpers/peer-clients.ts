import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import type { Credentials } from "./local-aws.ts";

const run = promisify(execFile);

/** Debian's AWS CLI and boto3 (the `python3` on PATH may be a pyenv shim without Debian's modules). */
export const AWS_CLI = "/usr/bin/aws";
export const DEBIAN_PYTHON = "/usr/bin/python3";

export async function peerClientsAvailable(): Promise<{ cli: boolean; boto3: boolean }> {
  const boto3 = existsSync(DEBIAN_PYTHON) && (await run(DEBIAN_PYTHON, ["-c", "import boto3"]).then(() => true, () => false));
  return { cli: existsSync(AWS_CLI), boto3 };
}

/** In CI (REQUIRE_PEER_CLIENTS=1) a missing peer is a failure, not a skip. */
export function mustHavePeers(): boolean {
  return process.env.REQUIRE_PEER_CLIENTS === "1";
}

export async function runCommand(file: string, args: string[], env: Record<string, string>, input?: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ stdout, stderr, code: error ? (typeof error.code === "number" ? error.code : 1) : 0 });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** The environment for a peer client signing with these credentials, reading no config or credentials file of the user's. */
export function peerEnvWith(credentials: Credentials): Record<string, string> {
  return {
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  };
}
