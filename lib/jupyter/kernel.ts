import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../local-aws/store/atomic-file.ts";
import { projectRoot } from "../project-root.ts";

// The tslab kernel for Debian's (or any) Jupyter, installed into the project (.jupyter/) rather than
// into the user's Jupyter: the same layout `tslab install --prefix` writes, plus an environment.

export function jupyterDir(root = projectRoot()): string {
  return join(root, ".jupyter");
}

/** Writes .jupyter/kernels/tslab/kernel.json, starting the project's own tslab; returns the kernel spec's folder. */
export function installKernel(root = projectRoot()): string {
  const dir = join(jupyterDir(root), "kernels", "tslab");
  mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [join(root, "node_modules", ".bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
    display_name: "TypeScript (tslab)",
    language: "typescript",
    // The SDK versions are pinned in the lock; its note that later releases need Node 22 would open every notebook.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  };
  writeFileAtomic(join(dir, "kernel.json"), `${JSON.stringify(spec, null, 2)}\n`, 0o644);
  return dir;
}

/** The environment under which Jupyter finds the project's kernel (and the kernel finds node). */
export function jupyterEnv(root = projectRoot(), base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const path = [join(root, "node_modules", ".bin"), base.PATH].filter(Boolean).join(":");
  const jupyterPath = [jupyterDir(root), base.JUPYTER_PATH].filter(Boolean).join(":");
  return { ...base, PATH: path, JUPYTER_PATH: jupyterPath };
}

/** A failure to start `jupyter`, with what to install when it is missing. */
export function jupyterStartError(error: Error): Error {
  if ((error as NodeJS.ErrnoException).code !== "ENOENT") return error;
  return new Error("jupyter is not installed: on Debian, apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel");
}
