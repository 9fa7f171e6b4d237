/**
 * Jupyter notebooks in nbformat 4.5 (https://nbformat.readthedocs.io/en/latest/format_description.html):
 * markdown and code cells with ids, no outputs, for the python3 kernel.
 */

export interface NotebookCell {
  cell_type: "markdown" | "code";
  id: string;
  metadata: Record<string, never>;
  source: string[];
  execution_count?: null;
  outputs?: never[];
}

export interface Notebook {
  cells: NotebookCell[];
  metadata: {
    kernelspec: { display_name: string; language: string; name: string };
    language_info: { name: string };
  };
  nbformat: 4;
  nbformat_minor: 5;
}

type CellContent = { kind: "markdown" | "code"; text: string };

/** A markdown cell's content. */
export const markdown = (...lines: string[]): CellContent => ({ kind: "markdown", text: lines.join("\n") });

/** A code cell's content, never executed here: the notebook is saved without outputs. */
export const code = (...lines: string[]): CellContent => ({ kind: "code", text: lines.join("\n") });

/** The cells in order, numbered `cell-1`, `cell-2`... (nbformat 4.5 wants unique ids). */
export function notebook(cells: readonly CellContent[]): Notebook {
  return {
    cells: cells.map(({ kind, text }, i) => ({
      cell_type: kind,
      id: `cell-${i + 1}`,
      metadata: {},
      source: sourceLines(text),
      ...(kind === "code" && { execution_count: null, outputs: [] }),
    })),
    metadata: { kernelspec: { display_name: "Python 3", language: "python", name: "python3" }, language_info: { name: "python" } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** nbformat stores a cell's text as lines, each but the last keeping its newline. */
function sourceLines(text: string): string[] {
  const lines = text.split("\n");
  return lines.map((line, i) => (i < lines.length - 1 ? `${line}\n` : line)).filter((line) => line !== "");
}
