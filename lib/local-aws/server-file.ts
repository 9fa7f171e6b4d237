import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defaultConfig } from "./config.ts";
import { writeFileAtomic } from "./store/atomic-file.ts";

// `<state-dir>/server.json` is both the state dir's lock and the way others find its server. One
// server per state dir: each keeps its state in memory and rewrites whole files from it, so two on
// one dir would lose each other's writes.
//
// The file is created complete and atomically (written to a temp file, then hard-linked into place,
// which fails if it exists), so it always names its holder's pid. A holder that died without
// removing it (kill -9, a crash, a reboot) is detected as gone: its pid no longer exists, or, on
// Linux, that pid now belongs to a process started at another time (/proc/<pid>/stat); the next
// server then takes the file over. The file gets the endpoint once the server listens.

/** The server of a state dir, once it listens. */
export interface ServerFile {
  endpoint: string;
  pid: number;
  /** The region of its profiles (LocalAwsConfig.region). */
  region: string;
  /** Its delay before IAM changes take effect (LocalAwsConfig.iamDelaySeconds), which clients wait out. */
  iamDelaySeconds: number;
}

/** What the lock records: the holder, and its endpoint once it listens. */
export interface StateDirHolder extends Partial<ServerFile> {
  pid: number;
  /** The holder's start time in clock ticks since boot (Linux), which tells a reused pid apart. */
  processStart?: string;
}

/** Another live process serves (or is starting a server on) the state dir. */
export class StateDirInUseError extends Error {
  constructor(
    readonly stateDir: string,
    readonly holder: StateDirHolder,
  ) {
    super(
      holder.endpoint
        ? `${stateDir} is already served by the local AWS at ${holder.endpoint} (pid ${holder.pid}). Use that server, or stop it (kill ${holder.pid}) before starting another on this state dir.`
        : `${stateDir} is locked by a local AWS that is starting (pid ${holder.pid}). Wait for it and use it, or stop it (kill ${holder.pid}).`,
    );
  }
}

export interface StateDirLock {
  /** Records the endpoint once the server listens, so that others find it. */
  announce(server: Omit<ServerFile, "pid">): void;
  /** Gives the state dir up. */
  release(): void;
}

export function serverFilePath(stateDir: string): string {
  return join(stateDir, "server.json");
}

/** Takes the state dir for this process, or throws StateDirInUseError naming the live process holding it. */
export function lockStateDir(stateDir: string): StateDirLock {
  const path = serverFilePath(stateDir);
  const own: StateDirHolder = { pid: process.pid, ...processStart(process.pid) };
  for (let attempt = 0; attempt < 10; attempt++) {
    if (createExclusive(path, `${JSON.stringify(own)}\n`)) {
      return {
        announce: (server) => writeFileAtomic(path, `${JSON.stringify({ ...own, ...server })}\n`),
        release: () => {
          if (readHolder(stateDir)?.pid === own.pid) rmSync(path, { force: true });
        },
      };
    }
    const text = readText(path);
    if (text === undefined) continue;
    const holder = parseHolder(text);
    if (holder && isAlive(holder)) throw new StateDirInUseError(stateDir, holder);
    // Stale (its process is gone) or not ours at all: take it over, unless it changed meanwhile.
    if (readText(path) === text) rmSync(path, { force: true });
  }
  throw new Error(`could not lock ${stateDir}: ${path} keeps changing; is another local AWS starting on it? Try again.`);
}

/** The live process holding the state dir, if any (with its endpoint once it listens). */
export function stateDirHolder(stateDir: string): StateDirHolder | undefined {
  const holder = readHolder(stateDir);
  return holder && isAlive(holder) ? holder : undefined;
}

/** The server the state dir's lock names, once it listens (it may have died since: check its health). */
export function readServerFile(stateDir: string): ServerFile | undefined {
  const holder = readHolder(stateDir);
  if (typeof holder?.endpoint !== "string") return undefined;
  return { endpoint: holder.endpoint, pid: holder.pid, region: holder.region ?? defaultConfig().region, iamDelaySeconds: holder.iamDelaySeconds ?? 0 };
}

function readHolder(stateDir: string): StateDirHolder | undefined {
  const text = readText(serverFilePath(stateDir));
  return text === undefined ? undefined : parseHolder(text);
}

function parseHolder(text: string): StateDirHolder | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<StateDirHolder>;
    if (!Number.isSafeInteger(parsed.pid) || parsed.pid! <= 0) return undefined;
    return {
      pid: parsed.pid!,
      ...(typeof parsed.processStart === "string" && { processStart: parsed.processStart }),
      ...(typeof parsed.endpoint === "string" && { endpoint: parsed.endpoint }),
      ...(typeof parsed.region === "string" && { region: parsed.region }),
      ...(typeof parsed.iamDelaySeconds === "number" && { iamDelaySeconds: parsed.iamDelaySeconds }),
    };
  } catch {
    return undefined;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Creates `path` holding `contents` unless it exists; never leaves it empty or half-written. */
function createExclusive(path: string, contents: string): boolean {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(temp, contents, { mode: 0o600 });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

function isAlive(holder: StateDirHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: it exists, as another user's process.
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  if (holder.processStart === undefined) return true;
  const now = processStart(holder.pid).processStart;
  return now === undefined || now === holder.processStart;
}

/** Field 22 of /proc/<pid>/stat (after the parenthesized command name, which may hold spaces). */
function processStart(pid: number): { processStart?: string } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const start = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    return start ? { processStart: start } : {};
  } catch {
    return {};
  }
}
