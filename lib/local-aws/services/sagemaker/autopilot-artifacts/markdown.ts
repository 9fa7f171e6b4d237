/** Markdown text for the generated reports: escaped values, tables, numbers. */

/** The text shown literally, whatever markdown or HTML it holds, on one line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, " ")
    .replace(/[\\`*_{}[\]()#+!|~]/g, (character) => `\\${character}`)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** A table of already formatted cells (escape values with `escapeMarkdown`). */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/** Up to four significant decimals, integers as they are; "n/a" for NaN and infinities. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(Math.abs(value) >= 1 ? Math.max(4, Math.floor(Math.log10(Math.abs(value))) + 3) : 4)));
}

export function formatPercent(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(share > 0 && share < 0.001 ? 3 : 1)}%` : "n/a";
}
