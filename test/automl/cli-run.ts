import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Runs `npm run automl -- ...args` as npm would, through tsx. */
export function automl(...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "lib/automl/cli.ts", ...args], { cwd: root, encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}
