import { describeDelimiter, type CsvFormat } from "../table.ts";
import type { ColumnProfile, UnreadableValues } from "./columns.ts";
import { DATE_PART_NAMES, DATE_PARTS, type DateOrder } from "./dates.ts";
import type { TargetAnalysis } from "./target.ts";

const ORDER_NAMES: Record<DateOrder, string> = { ymd: "year-month-day", dmy: "day/month/year", mdy: "month/day/year" };
const LISTED_LABELS = 10;

/**
 * Every decision the analysis took about how to read the data, in plain words: the file's
 * encoding and delimiter, the target's problem type and labels (merged spellings, rows left out),
 * each column's type, the values read as missing, how dates are learned from, the columns dropped.
 */
export function describeDecisions(input: { rows: number; columns: readonly ColumnProfile[]; target: TargetAnalysis; format?: CsvFormat }): string[] {
  const { columns, target, format } = input;
  return [
    `Read ${input.rows} rows of ${columns.length} columns${format ? `, ${describeFormat(format)}` : ""}.`,
    ...targetDecisions(target),
    ...featureSummary(columns),
    ...columns.flatMap(columnDecision),
  ];
}

function describeFormat({ encoding, delimiter }: CsvFormat): string {
  const text =
    encoding === undefined ? "" :
    encoding === "UTF-8" ? "as UTF-8, " :
    encoding === "UTF-8 with BOM" ? "as UTF-8 (its byte-order mark skipped), " :
    encoding === "Windows-1252" ? "as Windows-1252 (Latin-1) since the file is not valid UTF-8, " :
    `as ${encoding} (its byte-order mark says so), `;
  return `${text}${delimiter === "," ? "comma-separated" : `separated by ${describeDelimiter(delimiter)} (detected: the lines do not split evenly on commas)`}`;
}

function targetDecisions(target: TargetAnalysis): string[] {
  const how = target.problemTypeInferred ? "inferred from its values" : "as asked";
  const labels = target.labels.length === 0 ? "" : `; labels ${quoteList(target.labels.slice(0, LISTED_LABELS))}${target.labels.length > LISTED_LABELS ? `, and ${target.labels.length - LISTED_LABELS} more` : ""}`;
  return [
    `Target "${target.name}": ${target.problemType} (${how})${labels}.`,
    ...(target.mergedLabels ?? []).map(({ label, spellings }) => `Target "${target.name}": ${quoteList(spellings, " and ")} are the same number; merged into label "${label}".`),
    ...(target.unreadable ? [`Target "${target.name}": ${describeUnreadable(target.unreadable, "number")} left out with their rows.`] : []),
    ...(target.missing > 0 ? [`Target "${target.name}": ${target.missing} row${target.missing === 1 ? "" : "s"} without a value left out.`] : []),
  ];
}

function featureSummary(columns: readonly ColumnProfile[]): string[] {
  const kinds = [["numeric", "Numeric"], ["boolean", "Yes/no"], ["categorical", "Categorical"], ["date", "Date"]] as const;
  return kinds.flatMap(([kind, title]) => {
    const names = columns.filter((column) => column.role === "feature" && column.kind === kind).map((column) => column.name);
    return names.length === 0 ? [] : [`${title} features (${names.length}): ${quoteList(names)}.`];
  });
}

function columnDecision(column: ColumnProfile): string[] {
  if (column.role === "dropped") return [`Column "${column.name}" dropped: ${column.reason}.`];
  if (column.role !== "feature") return [];
  const unreadable = column.unreadable ? `; ${describeUnreadable(column.unreadable, column.kind === "date" ? "date" : "number")} read as missing` : "";
  if (column.kind === "date") {
    const guessed = column.dateOrderGuessed ? " (guessed: no day above 12 tells day and month apart)" : "";
    const parts = DATE_PARTS.map((part) => DATE_PART_NAMES[part]).join(", ");
    return [`Column "${column.name}": dates written ${ORDER_NAMES[column.dateOrder!]}${guessed}, learned from as ${parts} (parts constant over the training rows left out)${unreadable}.`];
  }
  return unreadable ? [`Column "${column.name}": ${column.kind}${unreadable}.`] : [];
}

function describeUnreadable({ count, values }: UnreadableValues, what: "number" | "date"): string {
  const named = values.map(({ value, count: n }) => `"${value}" ×${n}`).join(", ");
  const more = values.reduce((sum, { count: n }) => sum + n, 0) < count ? ", ..." : "";
  return `${count === 1 ? `1 value that is not a ${what}` : `${count} values that are not ${what}s`} (${named}${more})`;
}

function quoteList(names: readonly string[], lastSeparator = ", "): string {
  const quoted = names.map((name) => `"${name}"`);
  return quoted.length < 2 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")}${lastSeparator}${quoted.at(-1)}`;
}
