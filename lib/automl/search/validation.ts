import { createRandom, deriveSeed, shuffle } from "../rng.ts";

/** Up to this many rows Autopilot cross-validates; beyond it holds out a validation share. */
export const CROSS_VALIDATION_MAX_ROWS = 50_000;
export const CROSS_VALIDATION_FOLDS = 5;
const HOLDOUT_SHARE = 0.2;
/** Share of a training set held back to stop boosting or epochs early. */
const EARLY_STOPPING_SHARE = 0.1;

/**
 * Which rows each validation round scores: `foldOf[row]` is the round that scores the row, or -1
 * for rows that are only ever trained on (the holdout's training share).
 */
export interface ValidationSplit {
  rounds: number;
  foldOf: Int32Array;
}

/** Rows each class needs so that every validation round can see it. */
export function minRowsPerClass(rows: number): number {
  return rows > CROSS_VALIDATION_MAX_ROWS ? 2 : CROSS_VALIDATION_FOLDS;
}

/**
 * Stratified k-fold (classification) or shuffled k-fold (regression) up to 50,000 rows, a
 * stratified 80/20 holdout beyond. `classOf` is null for regression. `folds` is 5 unless a class
 * has fewer rows (stratified folds cannot outnumber the rows of the smallest class).
 */
export function makeValidationSplit(classOf: Float64Array | null, rows: number, seed: number, folds = CROSS_VALIDATION_FOLDS): ValidationSplit {
  const random = createRandom(deriveSeed(seed, 0x5711));
  const foldOf = new Int32Array(rows);
  const groups = classOf ? rowsByClass(classOf) : [Int32Array.from({ length: rows }, (_, i) => i)];
  if (rows > CROSS_VALIDATION_MAX_ROWS) {
    foldOf.fill(-1);
    for (const group of groups) {
      shuffle(group, random);
      const held = Math.round(group.length * HOLDOUT_SHARE);
      for (let i = 0; i < held; i++) foldOf[group[i]!] = 0;
    }
    return { rounds: 1, foldOf };
  }
  // Dealing each class's shuffled rows round-robin, continuing where the previous class stopped,
  // keeps both the class shares and the fold sizes within one row of each other.
  let next = 0;
  for (const group of groups) {
    shuffle(group, random);
    for (const row of group) {
      foldOf[row] = next;
      next = (next + 1) % folds;
    }
  }
  return { rounds: folds, foldOf };
}

function rowsByClass(classOf: Float64Array): Int32Array[] {
  const classes = classOf.reduce((most, c) => Math.max(most, c), 0) + 1;
  const counts = new Int32Array(classes);
  for (const c of classOf) counts[c]!++;
  const groups = Array.from(counts, (count) => new Int32Array(count));
  const filled = new Int32Array(classes);
  classOf.forEach((c, row) => {
    groups[c]![filled[c]!++] = row;
  });
  return groups;
}

/** Rows trained on and rows scored in a round (round null: train on every row, score none). */
export function roundRows(split: ValidationSplit, round: number | null): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  split.foldOf.forEach((fold, row) => (fold === round ? test : train).push(row));
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}

/** Splits training rows into rows fitted on and rows watched for early stopping. */
export function earlyStoppingSplit(train: Int32Array, seed: number): { fit: Int32Array; watch: Int32Array } {
  const shuffled = shuffle(Int32Array.from(train), createRandom(deriveSeed(seed, 0xe5)));
  const watched = Math.round(shuffled.length * EARLY_STOPPING_SHARE);
  return { fit: shuffled.subarray(watched).sort(), watch: shuffled.subarray(0, watched).sort() };
}
