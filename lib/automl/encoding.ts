import type { ColumnProfile, FeatureKind } from "./analysis/index.ts";
import { parseDate, type DateOrder } from "./analysis/dates.ts";
import { isMissing, parseBoolean, parseNumber } from "./analysis/values.ts";

/**
 * One feature column read into typed arrays: numbers (NaN when missing or unreadable; dates as
 * days since 1970-01-01) or category codes (-1 when missing).
 */
export type EncodedColumn =
  | { name: string; kind: "numeric" | "boolean" | "date"; values: Float64Array }
  | { name: string; kind: "categorical"; codes: Int32Array; dictionary: string[] };

export interface EncodedFeatures {
  rows: number;
  columns: EncodedColumn[];
}

export interface FeatureColumn {
  name: string;
  kind: FeatureKind;
  /** Date columns: how the text writes dates; absent, the text is already days since 1970-01-01 (a data processor's output). */
  dateOrder?: DateOrder;
}

export function featureColumns(columns: readonly Pick<ColumnProfile, "name" | "kind" | "role" | "dateOrder">[]): FeatureColumn[] {
  return columns
    .filter((column) => column.role === "feature")
    .map(({ name, kind, dateOrder }) => ({ name, kind: kind as FeatureKind, ...(dateOrder !== undefined && { dateOrder }) }));
}

/**
 * Reads the feature columns out of text rows. `fieldIndex[i]` is where feature i sits in a row.
 * Training and prediction both go through here, so a value reads the same way in both.
 */
export function encodeFeatures(rows: readonly (readonly string[])[], features: readonly FeatureColumn[], fieldIndex: readonly number[]): EncodedFeatures {
  return encodeColumns(rows.length, features, (i) => rows.map((row) => row[fieldIndex[i]!] ?? ""));
}

/** Reads the feature columns out of their text, a column at a time: `textOf(i)` is feature i's text, row by row. */
export function encodeColumns(rowCount: number, features: readonly FeatureColumn[], textOf: (feature: number) => readonly string[]): EncodedFeatures {
  const columns = features.map((feature, i): EncodedColumn => {
    const text = textOf(i);
    if (feature.kind === "categorical") return encodeCategorical(feature.name, text);
    const values = new Float64Array(rowCount);
    const { dateOrder } = feature;
    if (feature.kind === "boolean") readEachSpellingOnce(text, values, parseBoolean);
    else if (feature.kind === "date" && dateOrder !== undefined) readEachSpellingOnce(text, values, (field) => parseDate(field, dateOrder));
    else {
      for (let r = 0; r < rowCount; r++) values[r] = parseNumber(text[r]!);
    }
    return { name: feature.name, kind: feature.kind, values };
  });
  return { rows: rowCount, columns };
}

/** Flags repeat a handful of spellings, dates often repeat: each spelling is read once. */
function readEachSpellingOnce(text: readonly string[], values: Float64Array, read: (field: string) => number): void {
  const seen = new Map<string, number>();
  for (let r = 0; r < values.length; r++) {
    const field = text[r]!;
    let value = seen.get(field);
    if (value === undefined) seen.set(field, (value = read(field)));
    values[r] = value;
  }
}

function encodeCategorical(name: string, text: readonly string[]): EncodedColumn {
  /** Codes by the text as it stands in the row (-1 for a missing value), so each spelling is read once. */
  const codeOfText = new Map<string, number>();
  const codeOf = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(text.length);
  for (let r = 0; r < text.length; r++) {
    const field = text[r]!;
    let code = codeOfText.get(field);
    if (code === undefined) {
      const category = field.trim();
      code = isMissing(field) ? -1 : codeOf.get(category);
      if (code === undefined) {
        code = dictionary.length;
        codeOf.set(category, code);
        dictionary.push(category);
      }
      codeOfText.set(field, code);
    }
    codes[r] = code;
  }
  return { name, kind: "categorical", codes, dictionary };
}
