import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { AttachUserPolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import { S3Client } from "@aws-sdk/client-s3";
import { parse } from "ini";

export const ROOT = resolve(import.meta.dirname, "../../..");
/** tsx's loader by URL, so that a child started outside the project (cwd) still finds it. */
const TSX = pathToFileURL(createRequire(join(ROOT, "package.json")).resolve("tsx")).href;

export interface NodeChild {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (null when killed by a signal). */
  exit: Promise<number | null>;
}

/** Runs a TypeScript file of the project with node and tsx, from `cwd` (the project by default). */
export function runNode(script: string, args: string[], cwd = ROOT): NodeChild {
  const child = spawn(process.execPath, ["--import", TSX, join(ROOT, script), ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((resolveExit, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolveExit(code));
  });
  return { child, output: () => output, exit };
}

export interface ServerProcess extends NodeChild {
  endpoint: string;
  pid: number;
}

/** `npm run local-aws -- --state-dir DIR --port 0 [...]` in a child process, once it is ready. */
export async function serveInChild(stateDir: string, extra: string[] = [], cwd = ROOT): Promise<ServerProcess> {
  const server = runNode("lib/local-aws/main.ts", ["--state-dir", stateDir, "--port", "0", ...extra], cwd);
  let exited = false;
  void server.exit.then(() => (exited = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !exited) {
    const ready = /local-aws ready at (\S+)/.exec(server.output());
    if (ready) return { ...server, endpoint: ready[1]!, pid: server.child.pid! };
    await new Promise((wait) => setTimeout(wait, 100));
  }
  server.child.kill("SIGKILL");
  throw new Error(`the local AWS did not start:\n${server.output()}`);
}

/** SIGTERMs the server (as Ctrl-C) and waits for it to exit. */
export async function stopChild(server: NodeChild): Promise<void> {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGTERM");
  await server.exit;
}

/** Clients of the customer account's configuration user, from the state dir's credentials file. */
export function customerClients(stateDir: string, endpoint: string): { iam: IAMClient; s3: S3Client } {
  const profile = (parse(readFileSync(join(stateDir, "credentials"), "utf8")) as Record<string, Record<string, string>>).customer_config!;
  const common = {
    endpoint,
    region: "us-east-1",
    maxAttempts: 1,
    credentials: { accessKeyId: profile.aws_access_key_id!, secretAccessKey: profile.aws_secret_access_key! },
  };
  return { iam: new IAMClient(common), s3: new S3Client({ ...common, forcePathStyle: true, responseChecksumValidation: "WHEN_REQUIRED" }) };
}

/** Gives the customer's configuration user S3 (it starts with IAMFullAccess only). */
export async function allowS3(iam: IAMClient): Promise<void> {
  await iam.send(new AttachUserPolicyCommand({ UserName: "customer_config", PolicyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }));
}
