import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { projectRoot } from "../project-root.ts";
import { readServerFile, stateDirHolder, type ServerFile } from "./server-file.ts";

// The local AWS as a background process that outlives whoever started it, so that several notebooks
// (each its own kernel) share one server and its state.

const fromSources = import.meta.url.endsWith(".ts");
const MAIN_SCRIPT = fileURLToPath(new URL(fromSources ? "./main.ts" : "./main.js", import.meta.url));

export interface BackgroundServer extends ServerFile {
  /** True when this call started it; false when one was already serving the state dir. */
  started: boolean;
  logFile: string;
}

/** The server named in the state dir's server file, if it answers its health check as that process. */
export async function runningServer(stateDir: string): Promise<ServerFile | undefined> {
  const server = readServerFile(resolve(stateDir));
  if (!server) return undefined;
  try {
    const response = await fetch(`${server.endpoint}/_local/health`, { signal: AbortSignal.timeout(2000) });
    const health = (await response.json()) as { status?: string; pid?: number };
    return response.ok && health.status === "ok" && health.pid === server.pid ? server : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The server of `stateDir`: the live process holding its lock, once it answers (waiting while it
 * starts); undefined when no live process holds the state dir.
 */
export async function serverOfStateDir(stateDir: string, timeoutMs = 60_000): Promise<ServerFile | undefined> {
  const dir = resolve(stateDir);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const holder = stateDirHolder(dir);
    if (!holder) return undefined;
    const server = await runningServer(dir);
    if (server) return server;
    if (Date.now() >= deadline) {
      throw new Error(`process ${holder.pid} holds the local AWS's state dir ${dir} but no server there answered within ${timeoutMs / 1000} s; wait for it, or stop it (kill ${holder.pid})`);
    }
    await sleep(200);
  }
}

/** Finds the local AWS serving `stateDir`, or starts one in the background (a free port, logs in `<stateDir>/server.log`). */
export async function ensureLocalAwsRunning(stateDir: string, options: { iamDelaySeconds?: number; timeoutMs?: number } = {}): Promise<BackgroundServer> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const dir = resolve(stateDir);
  const logFile = join(dir, "server.log");
  const running = await serverOfStateDir(dir, timeoutMs);
  if (running) return { ...running, started: false, logFile };

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const log = openSync(logFile, "a", 0o600);
  const nodeArgs = fromSources ? ["--import", "tsx"] : [];
  // The project folder as working directory: `--import tsx` resolves from there.
  const delay = options.iamDelaySeconds ? ["--iam-delay", String(options.iamDelaySeconds)] : [];
  const child = spawn(process.execPath, [...nodeArgs, MAIN_SCRIPT, "--state-dir", dir, "--port", "0", ...delay], { cwd: projectRoot(), detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  let exited: number | null | undefined;
  child.once("exit", (code) => (exited = code));
  child.unref();

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined) {
      // Another caller may have started one first: then this one refused the locked state dir.
      const other = await serverOfStateDir(dir, deadline - Date.now());
      if (other) return { ...other, started: false, logFile };
      throw new Error(`the local AWS exited with code ${exited} while starting:\n${tail(logFile)}`);
    }
    const server = await runningServer(dir);
    if (server && server.pid === child.pid) return { ...server, started: true, logFile };
    await sleep(200);
  }
  child.kill();
  throw new Error(`the local AWS did not answer within ${timeoutMs / 1000} s; its log (${logFile}) ends with:\n${tail(logFile)}`);
}

/** Stops the background server of `stateDir` (SIGTERM, as Ctrl-C would); false if none was running. */
export async function stopLocalAws(stateDir: string, timeoutMs = 30_000): Promise<boolean> {
  const server = await runningServer(stateDir);
  if (!server) return false;
  process.kill(server.pid, "SIGTERM");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(server.pid)) return true;
    await sleep(100);
  }
  throw new Error(`the local AWS (pid ${server.pid}) did not stop within ${timeoutMs / 1000} s`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
