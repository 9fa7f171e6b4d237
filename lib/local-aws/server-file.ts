import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "./store/atomic-file.ts";

/** Which server serves a state dir: written when it listens, removed when it stops, so others can find it. */
export interface ServerFile {
  endpoint: string;
  pid: number;
  /** Its delay before IAM changes take effect (LocalAwsConfig.iamDelaySeconds), which clients wait out. */
  iamDelaySeconds: number;
}

export function serverFilePath(stateDir: string): string {
  return join(stateDir, "server.json");
}

export function writeServerFile(stateDir: string, server: ServerFile): void {
  writeFileAtomic(serverFilePath(stateDir), `${JSON.stringify(server)}\n`);
}

export function readServerFile(stateDir: string): ServerFile | undefined {
  const path = serverFilePath(stateDir);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<ServerFile>;
    if (typeof parsed.endpoint !== "string" || typeof parsed.pid !== "number") return undefined;
    return { endpoint: parsed.endpoint, pid: parsed.pid, iamDelaySeconds: typeof parsed.iamDelaySeconds === "number" ? parsed.iamDelaySeconds : 0 };
  } catch {
    return undefined;
  }
}

/** Removes the file only if it still names this process (a newer server may have taken the state dir over). */
export function removeServerFile(stateDir: string, pid: number): void {
  if (readServerFile(stateDir)?.pid === pid) rmSync(serverFilePath(stateDir), { force: true });
}
