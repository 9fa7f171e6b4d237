import { AutoMLInputError } from "../errors.ts";
import type { ProblemType } from "../problem.ts";
import { valueKind } from "./columns.ts";
import { isMissing, parseNumber } from "./values.ts";

export interface TargetAnalysis {
  name: string;
  problemType: ProblemType;
  /** Whether the problem type was inferred from the data rather than given. */
  problemTypeInferred: boolean;
  /** Classification: the distinct labels, sorted; class index i means labels[i]. */
  labels: string[];
  /** Classification: rows per label, in the order of `labels`. */
  classCounts: number[];
  /** Rows whose target is missing; they are left out of training. */
  missing: number;
}

/** Integer targets with more distinct values than this are taken for regression. */
const MAX_INTEGER_CLASSES = 20;

/**
 * Infers (or checks) the problem type from the target's values, as Autopilot does: a numeric
 * target with many distinct values, or with fractional values, is a regression; otherwise two
 * labels make a binary problem and more a multiclass one.
 */
export function analyseTarget(name: string, values: readonly string[], requested: ProblemType | undefined): TargetAnalysis {
  const { kind, missing, distinct } = valueKind(values);
  const numeric = kind === "numeric";
  const problemType = requested ?? inferProblemType(numeric, [...distinct]);
  checkProblemType(name, problemType, numeric, distinct.size);
  const base = { name, problemType, problemTypeInferred: requested === undefined, missing };
  if (problemType === "Regression") return { ...base, labels: [], classCounts: [] };
  const labels = sortLabels([...distinct], numeric);
  const indexOf = new Map(labels.map((label, index) => [label, index]));
  const classCounts = new Array<number>(labels.length).fill(0);
  for (const value of values) {
    if (!isMissing(value)) classCounts[indexOf.get(value.trim())!]!++;
  }
  return { ...base, labels, classCounts };
}

function inferProblemType(numeric: boolean, distinct: string[]): ProblemType {
  if (distinct.length === 2) return "BinaryClassification";
  if (numeric) {
    const integers = distinct.every((value) => Number.isInteger(parseNumber(value)));
    if (!integers || distinct.length > MAX_INTEGER_CLASSES) return "Regression";
  }
  return "MulticlassClassification";
}

function checkProblemType(name: string, problemType: ProblemType, numeric: boolean, distinctCount: number): void {
  if (distinctCount < 2) {
    throw new AutoMLInputError(
      `Target column "${name}" has ${distinctCount === 0 ? "no values" : "a single value"}; it needs at least two distinct values to learn from.`,
    );
  }
  if (problemType === "Regression" && !numeric) {
    throw new AutoMLInputError(`Problem type Regression needs a numeric target, but "${name}" holds text values; choose BinaryClassification or MulticlassClassification.`);
  }
  if (problemType === "BinaryClassification" && distinctCount !== 2) {
    throw new AutoMLInputError(`Problem type BinaryClassification needs exactly 2 target values, but "${name}" has ${distinctCount}; use MulticlassClassification.`);
  }
  if (problemType === "MulticlassClassification" && distinctCount === 2) {
    throw new AutoMLInputError(`"${name}" has exactly 2 target values: use BinaryClassification rather than MulticlassClassification.`);
  }
}

/**
 * Numeric labels sort by value, text labels by code unit, as a Python container's `sorted()`
 * orders them; for binary problems the second label is the positive class.
 */
function sortLabels(labels: string[], numeric: boolean): string[] {
  return numeric ? labels.sort((a, b) => parseNumber(a) - parseNumber(b)) : labels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
