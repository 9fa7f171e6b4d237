import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { notebookFiles, notebooksDir, readNotebook } from "../../lib/jupyter/execute.ts";

const SECRET_PATTERNS = [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/, /aws_secret_access_key/i, /secretAccessKey\s*[:=]\s*["'][^"']+/, /sessionToken\s*[:=]\s*["'][^"']+/];

describe("the committed notebooks", () => {
  const names = notebookFiles();

  it("are the blog's two sections and its cleanup, in order, on the tslab kernel", () => {
    expect(names).toEqual(["01-iam-setup.ipynb", "02-autopilot-cross-account.ipynb", "03-cleanup.ipynb"]);
    for (const name of names) expect(readNotebook(join(notebooksDir(), name)).metadata.kernelspec?.name).toBe("tslab");
  });

  it.each(names)("%s carries no outputs and no secret", (name) => {
    const notebook = readNotebook(join(notebooksDir(), name));
    for (const cell of notebook.cells.filter((c) => c.cell_type === "code")) {
      expect(cell.outputs).toEqual([]);
      expect(cell.execution_count ?? null).toBeNull();
    }
    const text = notebook.cells.map((cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source)).join("\n");
    for (const pattern of SECRET_PATTERNS) expect(text).not.toMatch(pattern);
  });

  it.each(names)("%s calls only the project's library, the AWS SDK's clients (each call in its cell) and tslab's display", (name) => {
    const notebook = readNotebook(join(notebooksDir(), name));
    const imports = notebook.cells.flatMap((cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source).match(/from\s+"[^"]+"/g) ?? []);
    const allowed = (i: string) => i === 'from "@cross-account-autopilot/lib"' || i === 'from "tslab"' || /^from "@aws-sdk\/client-[a-z0-9-]+"$/.test(i);
    expect(imports.filter((i) => !allowed(i))).toEqual([]);
    expect(imports).toContain('from "@cross-account-autopilot/lib"');
  });

  it.each(names)("%s checks its prerequisites in its first code cell", (name) => {
    const first = readNotebook(join(notebooksDir(), name)).cells.find((cell) => cell.cell_type === "code")!;
    const source = Array.isArray(first.source) ? first.source.join("") : first.source;
    expect(source).toContain(`await run.checkPrerequisites("${name.replace(/\.ipynb$/, "")}");`);
  });

  it.each(names)("%s has one clearly marked TARGET setting, local by default", (name) => {
    const sources = readNotebook(join(notebooksDir(), name)).cells.map((cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source));
    const settings = sources.filter((source) => /const TARGET: "local" \| "aws" = "local";/.test(source));
    expect(settings).toHaveLength(1);
    expect(settings[0]).toMatch(/⚙️ The one setting/);
  });
});
