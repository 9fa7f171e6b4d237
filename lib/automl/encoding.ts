import type { ColumnProfile, FeatureKind } from "./analysis/index.ts";
import { isMissing, parseBoolean, parseNumber } from "./analysis/values.ts";

/** One feature column read into typed arrays: numbers (NaN when missing) or category codes (-1 when missing). */
export type EncodedColumn =
  | { name: string; kind: "numeric" | "boolean"; values: Float64Array }
  | { name: string; kind: "categorical"; codes: Int32Array; dictionary: string[] };

export interface EncodedFeatures {
  rows: number;
  columns: EncodedColumn[];
}

export interface FeatureColumn {
  name: string;
  kind: FeatureKind;
}

export function featureColumns(columns: readonly Pick<ColumnProfile, "name" | "kind" | "role">[]): FeatureColumn[] {
  return columns.filter((column) => column.role === "feature").map(({ name, kind }) => ({ name, kind: kind as FeatureKind }));
}

/**
 * Reads the feature columns out of text rows. `fieldIndex[i]` is where feature i sits in a row.
 * Training and prediction both go through here, so a value reads the same way in both.
 */
export function encodeFeatures(rows: readonly (readonly string[])[], features: readonly FeatureColumn[], fieldIndex: readonly number[]): EncodedFeatures {
  const columns = features.map((feature, i): EncodedColumn => {
    const field = fieldIndex[i]!;
    if (feature.kind === "categorical") return encodeCategorical(feature.name, rows, field);
    const values = new Float64Array(rows.length);
    if (feature.kind === "boolean") {
      // A flag column holds a handful of spellings: each is read once.
      const read = new Map<string, number>();
      for (let r = 0; r < rows.length; r++) {
        const text = rows[r]![field] ?? "";
        let value = read.get(text);
        if (value === undefined) read.set(text, (value = parseBoolean(text)));
        values[r] = value;
      }
    } else {
      for (let r = 0; r < rows.length; r++) values[r] = parseNumber(rows[r]![field] ?? "");
    }
    return { name: feature.name, kind: feature.kind, values };
  });
  return { rows: rows.length, columns };
}

function encodeCategorical(name: string, rows: readonly (readonly string[])[], field: number): EncodedColumn {
  /** Codes by the text as it stands in the row (-1 for a missing value), so each spelling is read once. */
  const codeOfText = new Map<string, number>();
  const codeOf = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const text = rows[r]![field] ?? "";
    let code = codeOfText.get(text);
    if (code === undefined) {
      const category = text.trim();
      code = isMissing(text) ? -1 : codeOf.get(category);
      if (code === undefined) {
        code = dictionary.length;
        codeOf.set(category, code);
        dictionary.push(category);
      }
      codeOfText.set(text, code);
    }
    codes[r] = code;
  }
  return { name, kind: "categorical", codes, dictionary };
}
