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
    const parse = feature.kind === "boolean" ? parseBoolean : parseNumber;
    const values = new Float64Array(rows.length);
    for (let r = 0; r < rows.length; r++) values[r] = parse(rows[r]![field] ?? "");
    return { name: feature.name, kind: feature.kind, values };
  });
  return { rows: rows.length, columns };
}

function encodeCategorical(name: string, rows: readonly (readonly string[])[], field: number): EncodedColumn {
  const codeOf = new Map<string, number>();
  const dictionary: string[] = [];
  const codes = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const value = rows[r]![field] ?? "";
    if (isMissing(value)) {
      codes[r] = -1;
      continue;
    }
    const category = value.trim();
    let code = codeOf.get(category);
    if (code === undefined) {
      code = dictionary.length;
      codeOf.set(category, code);
      dictionary.push(category);
    }
    codes[r] = code;
  }
  return { name, kind: "categorical", codes, dictionary };
}
