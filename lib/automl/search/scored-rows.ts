import { roundRows, type ValidationSplit } from "./validation.ts";

/**
 * The rows that validation scores (every row under cross-validation, the held-out share under a
 * holdout), and where each round's scored rows sit among them.
 */
export interface ScoredRows {
  rows: Int32Array;
  y: Float64Array;
  /** Per round: the position in `rows` of each of the round's scored rows, in row order. */
  positionsByRound: Int32Array[];
}

export function scoredRows(split: ValidationSplit, y: Float64Array): ScoredRows {
  const positionOf = new Int32Array(split.foldOf.length).fill(-1);
  const rows: number[] = [];
  split.foldOf.forEach((fold, row) => {
    if (fold >= 0) positionOf[row] = rows.push(row) - 1;
  });
  const positionsByRound = Array.from({ length: split.rounds }, (_, round) => roundRows(split, round).test.map((row) => positionOf[row]!));
  return { rows: Int32Array.from(rows), y: Float64Array.from(rows, (row) => y[row]!), positionsByRound };
}

/** Places each round's output (`width` values per row) at its rows' positions. */
export function assembleOutput(scored: ScoredRows, outputs: readonly Float64Array[], width: number): Float64Array {
  const assembled = new Float64Array(scored.rows.length * width);
  outputs.forEach((output, round) => {
    scored.positionsByRound[round]!.forEach((position, i) => assembled.set(output.subarray(i * width, (i + 1) * width), position * width));
  });
  return assembled;
}
