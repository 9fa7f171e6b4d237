import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PROJECT_NAME = "cross-account-autopilot";

/**
 * The repository's top folder (holding data/, notebooks/ and the top package.json), found upward from
 * this module so that it is the same whether lib runs from its .ts sources or from lib/dist.
 */
export function projectRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === PROJECT_NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json named ${PROJECT_NAME} above ${from}: is lib inside its project?`);
  }
}
