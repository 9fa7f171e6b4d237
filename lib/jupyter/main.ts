import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { executedDir, executeNotebooks, exportHtml, notebooksDir } from "./execute.ts";
import { installKernel, jupyterEnv, jupyterStartError } from "./kernel.ts";

const USAGE = `usage: npm run jupyter [-- JUPYTER-NOTEBOOK-OPTIONS]
                                      opens the notebooks in Jupyter (Debian's jupyter-notebook) with the tslab kernel,
                                      e.g. npm run jupyter -- --no-browser --port 8899
       npm run jupyter -- --execute [--out DIR]
                                      runs every notebook top to bottom, headless; executed copies in DIR (default notebooks/executed,
                                      which \`npm run jupyter\` shows), each also exported to HTML beside it`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  if (argv.includes("--execute")) {
    const { values } = parseArgs({ args: argv, options: { execute: { type: "boolean" }, out: { type: "string" } }, strict: true });
    const executed = await executeNotebooks({ outDir: values.out === undefined ? executedDir() : resolve(values.out), log: (line) => console.log(line) });
    console.log(`executed: ${executed.join(", ")}`);
    console.log(`as HTML: ${(await exportHtml(executed)).join(", ")}`);
    return 0;
  }
  console.log(`kernel spec in ${installKernel()}`);
  const jupyter = spawn("jupyter", ["notebook", "--notebook-dir", notebooksDir(), ...argv], { env: jupyterEnv(), stdio: "inherit" });
  return new Promise((done, fail) => {
    jupyter.once("error", (error) => fail(jupyterStartError(error)));
    jupyter.once("close", (code) => done(code ?? 1));
  });
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(1);
  },
);
