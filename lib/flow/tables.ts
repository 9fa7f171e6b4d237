import type { LeaderboardRow } from "./automl-job.ts";
import type { Table } from "./data-set.ts";
import { headlineMetrics, type Evaluation } from "./evaluation.ts";
import type { FeatureImportance } from "./explainability.ts";

// HTML tables for notebooks (tslab's display.html); every value is escaped.

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A plain HTML table: a header row and body rows, values written as given. */
export function htmlTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cells = (tag: "th" | "td", values: readonly (string | number)[]) => values.map((value) => `<${tag}>${escapeHtml(String(value))}</${tag}>`).join("");
  return `<table><thead><tr>${cells("th", header)}</tr></thead><tbody>${rows.map((row) => `<tr>${cells("td", row)}</tr>`).join("")}</tbody></table>`;
}

export function dataTable(table: Table): string {
  return htmlTable(table.header, table.rows);
}

export function classBalanceTable(balance: Record<string, number>): string {
  const total = Object.values(balance).reduce((sum, n) => sum + n, 0);
  return htmlTable(["class", "rows", "share"], Object.entries(balance).map(([label, rows]) => [label, rows, `${((rows / total) * 100).toFixed(1)}%`]));
}

export function leaderboardTable(rows: readonly LeaderboardRow[]): string {
  return htmlTable(["rank", "candidate", "objective", "value", "status"], rows.map((row) => [row.rank, row.name, row.metric, row.value.toFixed(4), row.status]));
}

export function evaluationTable(evaluation: Evaluation): string {
  const metrics = headlineMetrics(evaluation);
  return htmlTable(["test rows", ...metrics.map(([name]) => name)], [[evaluation.rows, ...metrics.map(([, value]) => value.toFixed(4))]]);
}

export function featureImportanceTable(importance: readonly FeatureImportance[], top = 10): string {
  return htmlTable(["column", "importance"], importance.slice(0, top).map(({ column, importance }) => [column, `${(importance * 100).toFixed(1)}%`]));
}
