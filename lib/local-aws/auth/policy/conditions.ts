import { parseOperatorName, type ConditionOperator, type ParsedOperatorName } from "./conditionOperators.ts";
import type { ContextValue, RequestContext } from "./context.ts";
import { listOf } from "./lists.ts";
import type { PolicyStatement } from "./types.ts";
import { mayContainVariables, resolveVariables } from "./variables.ts";
import { piecesOf, type PatternPiece } from "./wildcard.ts";

type PolicyValue = readonly PatternPiece[] | undefined;

/** One key test of a Condition block, e.g. StringLike { "s3:prefix": ["home/", "home/*"] }. */
export interface ConditionTest {
  /** undefined for an operator AWS does not know: such a test never holds. */
  readonly operator: ParsedOperatorName | undefined;
  readonly key: string;
  readonly values: readonly string[];
  /** The values as patterns, resolved once when they hold no policy variables. */
  readonly fixedValues: readonly PolicyValue[] | undefined;
}

export function compileConditions(condition: PolicyStatement["Condition"], variablesEnabled: boolean): ConditionTest[] {
  const tests: ConditionTest[] = [];
  for (const [operatorName, keys] of Object.entries(condition ?? {})) {
    const operator = parseOperatorName(operatorName);
    const substitutes = variablesEnabled && operator !== undefined && operator.base !== "Null" && operator.base.policyVariables;
    for (const [key, value] of Object.entries(keys ?? {})) {
      const values = listOf(value).map(String);
      const fixed = !values.some((text) => mayContainVariables(text, substitutes));
      tests.push({ operator, key, values, fixedValues: fixed ? values.map(piecesOf) : undefined });
    }
  }
  return tests;
}

/** Operators and keys are AND'ed; the values of one key are OR'ed. */
export function conditionsHold(tests: readonly ConditionTest[], context: RequestContext): boolean {
  return tests.every((test) => testHolds(test, context));
}

function testHolds({ operator, key, values, fixedValues }: ConditionTest, context: RequestContext): boolean {
  if (!operator) return false;
  const requestValue = context.get(key);
  const { base, setOperator } = operator;
  if (base === "Null") return nullTestHolds(values, requestValue);
  if (requestValue === undefined) return missingKeyResult(operator, base);
  const policyValues = fixedValues ?? values.map((value) => resolveVariables(value, context, true));
  const satisfies = (value: string) => valueSatisfies(base, value, policyValues);
  if (setOperator === "ForAnyValue") return asSet(requestValue).some(satisfies);
  if (setOperator === "ForAllValues") return asSet(requestValue).every(satisfies);
  // A multivalued key needs a set operator; without one the test does not hold, whatever the operator
  // (as iam-simulate records AWS confirming). IfExists does not change that: the key does exist.
  return typeof requestValue === "string" && satisfies(requestValue);
}

/**
 * AWS: a test on a missing key is false, except that negated operators and ...IfExists hold, and
 * ForAllValues holds on an empty set while ForAnyValue does not.
 */
function missingKeyResult(operator: ParsedOperatorName, base: ConditionOperator): boolean {
  if (operator.ifExists) return true;
  if (operator.setOperator) return operator.setOperator === "ForAllValues";
  return base.negated;
}

function nullTestHolds(values: readonly string[], requestValue: ContextValue | undefined): boolean {
  const expected = requestValue === undefined ? "true" : "false";
  return values.some((value) => value.toLowerCase() === expected);
}

/** A policy value whose variable cannot be resolved matches nothing, so it can never prove a negation. */
function valueSatisfies(
  operator: ConditionOperator,
  requestValue: string,
  policyValues: readonly PolicyValue[],
): boolean {
  if (operator.negated) {
    return policyValues.every((policyValue) => policyValue !== undefined && !operator.test(requestValue, policyValue));
  }
  return policyValues.some((policyValue) => policyValue !== undefined && operator.test(requestValue, policyValue));
}

function asSet(value: ContextValue): readonly string[] {
  return typeof value === "string" ? [value] : value;
}
