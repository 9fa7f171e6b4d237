import { AutoMLInputError } from "../errors.ts";
import type { ProblemType } from "../problem.ts";
import { valueKind, type UnreadableValues } from "./columns.ts";
import { isMissing, parseNumber } from "./values.ts";

export interface TargetAnalysis {
  name: string;
  problemType: ProblemType;
  /** Whether the problem type was inferred from the data rather than given. */
  problemTypeInferred: boolean;
  /**
   * Classification: the distinct labels, sorted; class index i means labels[i]. A job then orders
   * a binary problem's [negative, positive] (see `withPositiveClass`).
   */
  labels: string[];
  /** Classification: rows per label, in the order of `labels`. */
  classCounts: number[];
  /**
   * Whether the labels are numbers: a row's class is then the label of equal value, however it is
   * written ("1.0" is class "1").
   */
  numericLabels: boolean;
  /** Numbers written more than one way, each merged into its most frequent spelling. */
  mergedLabels?: { label: string; spellings: string[] }[];
  /** Rows whose target is missing; they are left out of training. */
  missing: number;
  /** A numeric target's values that are not numbers: left out of training with their rows, as missing ones are. */
  unreadable?: UnreadableValues;
}

/** Integer targets with more distinct values than this are taken for regression. */
const MAX_INTEGER_CLASSES = 20;

/**
 * Infers (or checks) the problem type from the target's values, as Autopilot does: a numeric
 * target with many distinct values, or with fractional values, is a regression; otherwise two
 * labels make a binary problem and more a multiclass one. Numeric labels are told apart by value,
 * so "1" and "1.0" are one class.
 */
export function analyseTarget(name: string, values: readonly string[], requested: ProblemType | undefined): TargetAnalysis {
  const { kind, missing, counts, unreadable } = valueKind(values);
  const numeric = kind === "numeric";
  const spellings = numeric ? spellingsByValue(counts) : new Map([...counts].map(([text, count]) => [text, new Map([[text, count]])]));
  const distinct = [...spellings.keys()];
  const problemType = requested ?? inferProblemType(numeric, distinct);
  checkProblemType(name, problemType, numeric, distinct.length);
  const base = { name, problemType, problemTypeInferred: requested === undefined, numericLabels: numeric, missing, ...(numeric && unreadable && { unreadable }) };
  if (problemType === "Regression") return { ...base, labels: [], classCounts: [] };
  const groups = sortGroups([...spellings.values()].map((group) => ({ label: mostFrequent(group), group })), numeric);
  const merged = groups.filter(({ group }) => group.size > 1).map(({ label, group }) => ({ label, spellings: [...group.keys()].sort() }));
  return {
    ...base,
    labels: groups.map(({ label }) => label),
    classCounts: groups.map(({ group }) => [...group.values()].reduce((sum, count) => sum + count, 0)),
    ...(merged.length > 0 && { mergedLabels: merged }),
  };
}

/**
 * Reads a row's target: the class index (classification) or the value (regression); NaN when the
 * row has no usable target (missing, or not a number in a numeric target).
 */
export function targetReader(target: Pick<TargetAnalysis, "problemType" | "labels" | "numericLabels">): (field: string) => number {
  if (target.problemType === "Regression") return parseNumber;
  if (target.numericLabels) {
    const classOfValue = new Map(target.labels.map((label, index) => [parseNumber(label), index]));
    return (field) => classOfValue.get(parseNumber(field)) ?? Number.NaN;
  }
  const classOfLabel = new Map(target.labels.map((label, index) => [label, index]));
  return (field) => (isMissing(field) ? Number.NaN : (classOfLabel.get(field.trim()) ?? Number.NaN));
}

/** A numeric target's spellings grouped by the number they write, keyed by the number's first spelling. */
function spellingsByValue(counts: ReadonlyMap<string, number>): Map<string, Map<string, number>> {
  const byValue = new Map<number, Map<string, number>>();
  for (const [text, count] of counts) {
    const value = parseNumber(text);
    if (Number.isNaN(value)) continue;
    const group = byValue.get(value) ?? new Map<string, number>();
    group.set(text, count);
    byValue.set(value, group);
  }
  return new Map([...byValue.values()].map((group) => [group.keys().next().value!, group]));
}

/** The most frequent spelling; among equally frequent ones the shortest, then the first in code-unit order. */
function mostFrequent(group: ReadonlyMap<string, number>): string {
  return [...group].sort(([a, m], [b, n]) => n - m || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))[0]![0];
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
function sortGroups<T extends { label: string }>(groups: T[], numeric: boolean): T[] {
  return numeric ? groups.sort((a, b) => parseNumber(a.label) - parseNumber(b.label)) : groups.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
