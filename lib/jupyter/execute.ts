import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../project-root.ts";
import { installKernel, jupyterEnv, jupyterStartError } from "./kernel.ts";

export interface CellOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}

export interface Notebook {
  cells: { cell_type: string; source: string | string[]; outputs?: CellOutput[]; execution_count?: number | null }[];
  metadata: { kernelspec?: { name?: string } };
}

export function notebooksDir(root = projectRoot()): string {
  return join(root, "notebooks");
}

/** The project's notebooks, in the order they are meant to run (their names start with 01-, 02-, ...). */
export function notebookFiles(dir = notebooksDir()): string[] {
  return readdirSync(dir)
    .filter((name) => /^\d+-.*\.ipynb$/.test(name))
    .sort();
}

export function readNotebook(path: string): Notebook {
  return JSON.parse(readFileSync(path, "utf8")) as Notebook;
}

export interface ExecuteOptions {
  /** Where the executed copies go; the committed notebooks are left as they are. */
  outDir: string;
  /** Extra environment for the kernels, e.g. AUTOPILOT_NOTEBOOK_DIR to run in a folder of one's own. */
  env?: NodeJS.ProcessEnv;
  /** Seconds a single cell may take. */
  cellTimeoutSeconds?: number;
  log?: (line: string) => void;
}

/**
 * Runs every notebook top to bottom with `jupyter nbconvert --execute` on the tslab kernel, in order,
 * stopping at the first that fails (a cell error fails it); returns the executed copies' paths.
 */
export async function executeNotebooks(options: ExecuteOptions): Promise<string[]> {
  installKernel();
  const env = { ...jupyterEnv(), ...options.env };
  const executed: string[] = [];
  for (const name of notebookFiles()) {
    options.log?.(`executing notebooks/${name}`);
    const args = ["nbconvert", "--to", "notebook", "--execute", `--ExecutePreprocessor.timeout=${options.cellTimeoutSeconds ?? 900}`, "--output-dir", options.outDir, join(notebooksDir(), name)];
    const { code, stderr } = await run("jupyter", args, env);
    if (code !== 0) throw new Error(`notebooks/${name} failed (jupyter nbconvert exited with ${code}):\n${stderr.trim().split("\n").slice(-30).join("\n")}`);
    executed.push(join(options.outDir, name));
  }
  return executed;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.once("error", (error) => reject(jupyterStartError(error)));
    child.once("close", (code) => resolve({ code, stderr }));
  });
}
