import { isMissing, parseBoolean, parseNumber } from "./values.ts";

export type FeatureKind = "numeric" | "boolean" | "categorical";
export type ColumnKind = FeatureKind | "id" | "constant";

export interface ColumnProfile {
  name: string;
  kind: ColumnKind;
  role: "feature" | "target" | "dropped";
  /** Why a dropped column is not used. */
  reason?: string;
  missing: number;
  distinct: number;
}

/** Share of distinct values above which a text column is taken for an identifier (a phone number, a key). */
const ID_DISTINCT_SHARE = 0.95;

/** What the values of one column are, judged from all its non-missing fields. */
export function valueKind(values: readonly string[]): { kind: FeatureKind; missing: number; distinct: Set<string> } {
  const distinct = new Set<string>();
  let missing = 0;
  for (const value of values) {
    if (isMissing(value)) missing++;
    else distinct.add(value.trim());
  }
  let numeric = true;
  let boolean = true;
  for (const value of distinct) {
    if (numeric && Number.isNaN(parseNumber(value))) numeric = false;
    if (boolean && Number.isNaN(parseBoolean(value))) boolean = false;
    if (!numeric && !boolean) break;
  }
  const kind: FeatureKind = distinct.size === 0 ? "categorical" : numeric ? "numeric" : boolean ? "boolean" : "categorical";
  return { kind, missing, distinct };
}

/** Profiles a candidate feature column; identifiers and constants are marked as dropped. */
export function profileFeatureColumn(name: string, values: readonly string[]): ColumnProfile {
  const { kind, missing, distinct } = valueKind(values);
  const present = values.length - missing;
  const base = { name, missing, distinct: distinct.size };
  if (distinct.size <= 1) {
    return { ...base, kind: "constant", role: "dropped", reason: distinct.size === 0 ? "every value is missing" : "it holds a single value" };
  }
  if (kind === "categorical" && distinct.size >= ID_DISTINCT_SHARE * present) {
    return { ...base, kind: "id", role: "dropped", reason: `ID-like: ${distinct.size} distinct values in ${present} rows` };
  }
  if (kind === "numeric" && isRowNumber(distinct, present)) {
    return { ...base, kind: "id", role: "dropped", reason: "ID-like: consecutive integers, one per row" };
  }
  return { ...base, kind, role: "feature" };
}

/** A column of distinct consecutive integers, one per row, numbers the rows rather than describing them. */
function isRowNumber(distinct: Set<string>, present: number): boolean {
  if (distinct.size !== present) return false;
  let min = Infinity;
  let max = -Infinity;
  for (const value of distinct) {
    const number = parseNumber(value);
    if (!Number.isInteger(number)) return false;
    if (number < min) min = number;
    if (number > max) max = number;
  }
  return max - min + 1 === present;
}
