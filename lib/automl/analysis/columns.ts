import { dateOrderOf, parseDate, type DateOrder } from "./dates.ts";
import { isMissing, parseBoolean, parseNumber } from "./values.ts";

export type FeatureKind = "numeric" | "boolean" | "categorical" | "date";
export type ColumnKind = FeatureKind | "id" | "constant";

/** Values of a numeric or date column that do not read as one: taken for missing, counted and named. */
export interface UnreadableValues {
  count: number;
  /** The most frequent of them, at most five, most frequent first. */
  values: { value: string; count: number }[];
}

/** How a column's text reads: its kind, and for dates how they are written. */
export interface ValueTyping {
  kind: FeatureKind;
  /** Numeric and date columns: present values that do not read as a number (a date). */
  unreadable?: UnreadableValues;
  /** Date columns: the order of year, month and day. */
  dateOrder?: DateOrder;
  /** Date columns: no value settles whether the day or the month comes first; month first was taken. */
  dateOrderGuessed?: boolean;
}

export interface ColumnProfile extends Omit<ValueTyping, "kind"> {
  name: string;
  kind: ColumnKind;
  role: "feature" | "target" | "dropped";
  /** Why a dropped column is not used. */
  reason?: string;
  missing: number;
  /** Distinct present spellings, trimmed. */
  distinct: number;
}

/** Share of distinct values above which a text column is taken for an identifier (a phone number, a key). */
const ID_DISTINCT_SHARE = 0.95;

/**
 * A numeric or date column may hold up to this share of its present values that do not read as a
 * number (a date): a stray "error", "inf" or "1,234.50" is noise, read as missing. More than one
 * in twenty is no longer noise but a column of text, and is kept as such. Below 20 present values
 * no value may fail.
 */
export const MAX_UNREADABLE_SHARE = 0.05;
const NAMED_UNREADABLE_VALUES = 5;

/** What the values of one column are, judged from all its non-missing fields. */
export function valueKind(values: readonly string[]): ValueTyping & { missing: number; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  let missing = 0;
  for (const value of values) {
    if (isMissing(value)) missing++;
    else {
      const text = value.trim();
      counts.set(text, (counts.get(text) ?? 0) + 1);
    }
  }
  const present = values.length - missing;
  const allowed = Math.floor(present * MAX_UNREADABLE_SHARE);
  const base = { missing, counts };
  if (counts.size === 0) return { ...base, kind: "categorical" };
  const notNumbers = unreadableValues(counts, (text) => !Number.isNaN(parseNumber(text)));
  if (notNumbers.count <= allowed && notNumbers.count < present) return { ...base, kind: "numeric", ...(notNumbers.count > 0 && { unreadable: notNumbers }) };
  let boolean = true;
  for (const text of counts.keys()) {
    if (Number.isNaN(parseBoolean(text))) {
      boolean = false;
      break;
    }
  }
  if (boolean) return { ...base, kind: "boolean" };
  const dates = dateOrderOf(counts);
  if (dates.readable > 0 && present - dates.readable <= allowed) {
    const notDates = unreadableValues(counts, (text) => !Number.isNaN(parseDate(text, dates.order)));
    return {
      ...base,
      kind: "date",
      dateOrder: dates.order,
      ...(dates.guessed && { dateOrderGuessed: true }),
      ...(notDates.count > 0 && { unreadable: notDates }),
    };
  }
  return { ...base, kind: "categorical" };
}

function unreadableValues(counts: ReadonlyMap<string, number>, readable: (text: string) => boolean): UnreadableValues {
  const values: { value: string; count: number }[] = [];
  let count = 0;
  for (const [value, n] of counts) {
    if (readable(value)) continue;
    count += n;
    values.push({ value, count: n });
  }
  values.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return { count, values: values.slice(0, NAMED_UNREADABLE_VALUES) };
}

/** Profiles a candidate feature column; identifiers and constants are marked as dropped. */
export function profileFeatureColumn(name: string, values: readonly string[]): ColumnProfile {
  const { kind, missing, counts, ...typing } = valueKind(values);
  const present = values.length - missing;
  const base = { name, missing, distinct: counts.size, ...typing };
  if (counts.size <= 1) {
    return { ...base, kind: "constant", role: "dropped", reason: counts.size === 0 ? "every value is missing" : "it holds a single value" };
  }
  if (kind === "categorical" && counts.size >= ID_DISTINCT_SHARE * present) {
    return { ...base, kind: "id", role: "dropped", reason: `ID-like: ${counts.size} distinct values in ${present} rows` };
  }
  if (kind === "numeric" && isRowNumber(counts, present)) {
    return { ...base, kind: "id", role: "dropped", reason: "ID-like: consecutive integers, one per row" };
  }
  return { ...base, kind, role: "feature" };
}

/** A column of distinct consecutive integers, one per row, numbers the rows rather than describing them. */
function isRowNumber(counts: ReadonlyMap<string, number>, present: number): boolean {
  if (counts.size !== present) return false;
  let min = Infinity;
  let max = -Infinity;
  for (const value of counts.keys()) {
    const number = parseNumber(value);
    if (!Number.isInteger(number)) return false;
    if (number < min) min = number;
    if (number > max) max = number;
  }
  return max - min + 1 === present;
}
