import { spawn } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
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

/** Where `npm run jupyter -- --execute` puts the executed copies: inside notebooks/, so the Jupyter that `npm run jupyter` opens shows them. */
export function executedDir(root = projectRoot()): string {
  return join(notebooksDir(root), "executed");
}

/**
 * Numbers the code cells of an executed copy in the order they ran (In [1], In [2], ...). nbconvert
 * takes the numbers from the kernel's execute_input messages, which tslab does not send, and so
 * would leave every cell unnumbered.
 */
export function numberExecutedCells(path: string): void {
  const notebook = readNotebook(path);
  let count = 0;
  for (const cell of notebook.cells) {
    if (cell.cell_type === "code") cell.execution_count = ++count;
  }
  writeFileSync(path, `${JSON.stringify(notebook, null, 1)}\n`);
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
 * Runs one notebook (a file name in notebooks/) top to bottom with `jupyter nbconvert --execute` on
 * the tslab kernel; a cell that fails fails it, unless `allowErrors` (then every cell runs, and the
 * copy shows what each printed). Returns the executed copy's path.
 */
export async function executeNotebook(name: string, options: ExecuteOptions & { allowErrors?: boolean }): Promise<string> {
  installKernel();
  const args = [
    "nbconvert", "--to", "notebook", "--execute", `--ExecutePreprocessor.timeout=${options.cellTimeoutSeconds ?? 900}`,
    ...(options.allowErrors ? ["--allow-errors"] : []),
    "--output-dir", options.outDir, join(notebooksDir(), name),
  ];
  const { code, stderr } = await run("jupyter", args, { ...jupyterEnv(), ...options.env });
  if (code !== 0) throw new Error(`notebooks/${name} failed (jupyter nbconvert exited with ${code}):\n${stderr.trim().split("\n").slice(-30).join("\n")}`);
  const copy = join(options.outDir, name);
  numberExecutedCells(copy);
  return copy;
}

/** Runs every notebook in order, stopping at the first that fails; returns the executed copies' paths. */
export async function executeNotebooks(options: ExecuteOptions): Promise<string[]> {
  const executed: string[] = [];
  for (const name of notebookFiles()) {
    options.log?.(`executing notebooks/${name}`);
    executed.push(await executeNotebook(name, options));
  }
  return executed;
}

/** Exports executed notebooks to HTML beside them (`jupyter nbconvert --to html`), to read or share without Jupyter; returns the HTML files' paths. */
export async function exportHtml(paths: readonly string[]): Promise<string[]> {
  const exported: string[] = [];
  for (const path of paths) {
    const { code, stderr } = await run("jupyter", ["nbconvert", "--to", "html", path], jupyterEnv());
    if (code !== 0) throw new Error(`exporting ${path} to HTML failed (jupyter nbconvert exited with ${code}):\n${stderr.trim().split("\n").slice(-10).join("\n")}`);
    exported.push(path.replace(/\.ipynb$/, ".html"));
  }
  return exported;
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
