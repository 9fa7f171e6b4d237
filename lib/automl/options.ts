import { AutoMLInputError } from "./errors.ts";
import { DEFAULT_OBJECTIVE, isMetricName, metricsFor, METRIC_NAMES, type MetricName } from "./metrics.ts";
import { PROBLEM_TYPES, type ProblemType } from "./problem.ts";
import type { InputRules } from "./table.ts";

export const DEFAULT_MAX_CANDIDATES = 10;

export function checkProblemType(value: string | undefined): ProblemType | undefined {
  if (value === undefined || PROBLEM_TYPES.includes(value as ProblemType)) return value as ProblemType | undefined;
  throw new AutoMLInputError(`Unknown problem type "${value}"; use one of ${PROBLEM_TYPES.join(", ")}.`);
}

/** The objective asked for (or the problem type's default), refused when it does not fit the problem. */
export function resolveObjective(value: string | undefined, problemType: ProblemType): MetricName {
  if (value === undefined) return DEFAULT_OBJECTIVE[problemType];
  if (!isMetricName(value)) throw new AutoMLInputError(`Unknown objective metric "${value}"; use one of ${METRIC_NAMES.join(", ")}.`);
  const allowed = metricsFor(problemType);
  if (!allowed.includes(value)) throw new AutoMLInputError(`Objective ${value} does not apply to ${problemType}; use one of ${allowed.join(", ")}.`);
  return value;
}

const INPUT_RULES: readonly InputRules[] = ["engine", "autopilot"];

export function checkInputRules(value: string | undefined): InputRules {
  if (value === undefined) return "engine";
  if (INPUT_RULES.includes(value as InputRules)) return value as InputRules;
  throw new AutoMLInputError(`inputRules must be one of ${INPUT_RULES.join(", ")}, got "${value}".`);
}

/** Below this, five-fold cross-validation would validate on folds of a row or two. */
export const MIN_ROWS_FLOOR = 10;

export function checkMinRows(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < MIN_ROWS_FLOOR) throw new AutoMLInputError(`minRows must be an integer of at least ${MIN_ROWS_FLOOR}, got ${value}.`);
  return value;
}

export function checkPositive(name: string, value: number | undefined, { integer }: { integer: boolean }): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new AutoMLInputError(`${name} must be a positive ${integer ? "integer" : "number"}, got ${value}.`);
  }
  return value;
}

export function checkSeed(value: number | undefined): number {
  if (value === undefined) return 0;
  if (!Number.isSafeInteger(value)) throw new AutoMLInputError(`seed must be an integer, got ${value}.`);
  return value;
}
