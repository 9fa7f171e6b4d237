import type { Table } from "./data-set.ts";
import { headlineMetrics, type Evaluation } from "./evaluation.ts";
import type { FeatureImportance } from "./explainability.ts";
import { leaderboardModel, type Leaderboard } from "./leaderboard.ts";
import { predictionsPreview, type TestPredictions } from "./predictions-table.ts";

// HTML tables for notebooks (tslab's display.html); every value is escaped.

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A plain HTML table: a header row and body rows, values written as given. */
export function htmlTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = (tag: "th" | "td", values: readonly (string | number)[]) => values.map((value) => `<${tag}>${escapeHtml(String(value))}</${tag}>`).join("");
  return `<table><thead><tr>${cells("th", header)}</tr></thead><tbody>${rows.map((row) => `<tr>${cells("td", row)}</tr>`).join("")}</tbody></table>`;
}

/** Rows of a data set; numbers with more than `decimals` decimals are shown rounded (the files keep every digit). */
export function dataTable(table: Table, decimals = 2): string {
  const shown = (cell: string) => (new RegExp(`^-?\\d+\\.\\d{${decimals + 1},}$`).test(cell) ? Number(cell).toFixed(decimals) : cell);
  return htmlTable(table.header, table.rows.map((row) => row.map(shown)));
}

export function classBalanceTable(balance: Record<string, number>): string {
  const total = Object.values(balance).reduce((sum, n) => sum + n, 0);
  return htmlTable(["class", "rows", "share"], Object.entries(balance).map(([label, rows]) => [label, rows, `${((rows / total) * 100).toFixed(1)}%`]));
}

/** A paragraph of text, escaped. */
export function htmlParagraph(text: string): string {
  return `<p>${escapeHtml(text)}</p>`;
}

/** The leaderboard as HTML: the same model as formatLeaderboard's text, a stopped or failed candidate's reason in its status cell. */
export function leaderboardTable(board: Leaderboard): string {
  const model = leaderboardModel(board);
  const status = model.header.indexOf("status");
  const rows = model.rows.map((row) => [row.best ? "★" : "", ...row.cells.map((cell, i) => (i === status && row.reason ? `${cell}: ${row.reason}` : cell))]);
  return [htmlParagraph(model.caption), htmlTable(["", ...model.header], rows), ...model.notes.map(htmlParagraph)].join("\n");
}

export function evaluationTable(evaluation: Evaluation): string {
  const metrics = headlineMetrics(evaluation);
  return htmlTable(["test rows", ...metrics.map(([name]) => name)], [[evaluation.rows, ...metrics.map(([, value]) => value.toFixed(4))]]);
}

export function featureImportanceTable(importance: readonly FeatureImportance[], top = 10): string {
  return htmlTable(["column", "importance"], importance.slice(0, top).map(({ column, importance }) => [column, `${(importance * 100).toFixed(1)}%`]));
}

/** The predictions table as HTML: the same rows as formatPredictions's text, ✗ on the misclassified. */
export function predictionsTable(test: TestPredictions): string {
  const preview = predictionsPreview(test);
  return [htmlParagraph(preview.caption), htmlTable(preview.header, preview.rows.map((row) => [row.wrong ? "✗" : "", ...row.cells]))].join("\n");
}
