import { ipInCidr } from "./ipAddress.ts";
import { matchesPattern, textOf, type PatternPiece } from "./wildcard.ts";

/**
 * A base condition operator (without ForAnyValue:/ForAllValues: or IfExists). A negated operator
 * (StringNotEquals, NotIpAddress, ...) holds for a request value when its positive counterpart matches
 * none of the policy values.
 */
export interface ConditionOperator {
  /** Whether one request value satisfies the positive form of the operator against one policy value. */
  readonly test: (requestValue: string, policyValue: readonly PatternPiece[]) => boolean;
  readonly negated: boolean;
  /** Only string and ARN operators substitute policy variables in their values. */
  readonly policyVariables: boolean;
}

type Comparison = (request: number, policy: number) => boolean;

const equal: Comparison = (a, b) => a === b;
const lessThan: Comparison = (a, b) => a < b;
const lessThanEquals: Comparison = (a, b) => a <= b;
const greaterThan: Comparison = (a, b) => a > b;
const greaterThanEquals: Comparison = (a, b) => a >= b;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const EPOCH_SECONDS = /^\d+$/;

function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return NUMBER.test(trimmed) ? Number(trimmed) : undefined;
}

/** Dates are ISO 8601 or, as AWS also accepts, seconds since the epoch. */
export function parseDate(text: string): number | undefined {
  const trimmed = text.trim();
  const millis = EPOCH_SECONDS.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed);
  return Number.isNaN(millis) ? undefined : millis;
}

function comparing(parse: (text: string) => number | undefined, compare: Comparison) {
  return (requestValue: string, policyValue: readonly PatternPiece[]): boolean => {
    const request = parse(requestValue);
    const policy = parse(textOf(policyValue));
    return request !== undefined && policy !== undefined && compare(request, policy);
  };
}

function decodedBinaryEquals(requestValue: string, policyValue: readonly PatternPiece[]): boolean {
  return Buffer.from(requestValue, "base64").equals(Buffer.from(textOf(policyValue), "base64"));
}

const CASE_SENSITIVE = { ignoreCase: false, arnSegments: false } as const;
const ARN = { ignoreCase: false, arnSegments: true } as const;

const stringEquals = (v: string, p: readonly PatternPiece[]) => textOf(p) === v;
const stringEqualsIgnoreCase = (v: string, p: readonly PatternPiece[]) => textOf(p).toLowerCase() === v.toLowerCase();
const stringLike = (v: string, p: readonly PatternPiece[]) => matchesPattern(p, v, CASE_SENSITIVE);
// AWS documents ArnEquals and ArnLike identically: segment-wise, case-sensitive, wildcards allowed.
const arnLike = (v: string, p: readonly PatternPiece[]) => matchesPattern(p, v, ARN);
const numericEquals = comparing(parseNumber, equal);
const dateEquals = comparing(parseDate, equal);
const ipAddress = (v: string, p: readonly PatternPiece[]) => ipInCidr(v, textOf(p));

function operator(test: ConditionOperator["test"], { negated = false, policyVariables = false } = {}): ConditionOperator {
  return { test, negated, policyVariables };
}

const NEGATED = { negated: true } as const;
const VARIABLES = { policyVariables: true } as const;
const NEGATED_WITH_VARIABLES = { negated: true, policyVariables: true } as const;

const OPERATORS: Readonly<Record<string, ConditionOperator>> = {
  StringEquals: operator(stringEquals, VARIABLES),
  StringNotEquals: operator(stringEquals, NEGATED_WITH_VARIABLES),
  StringEqualsIgnoreCase: operator(stringEqualsIgnoreCase, VARIABLES),
  StringNotEqualsIgnoreCase: operator(stringEqualsIgnoreCase, NEGATED_WITH_VARIABLES),
  StringLike: operator(stringLike, VARIABLES),
  StringNotLike: operator(stringLike, NEGATED_WITH_VARIABLES),
  NumericEquals: operator(numericEquals),
  NumericNotEquals: operator(numericEquals, NEGATED),
  NumericLessThan: operator(comparing(parseNumber, lessThan)),
  NumericLessThanEquals: operator(comparing(parseNumber, lessThanEquals)),
  NumericGreaterThan: operator(comparing(parseNumber, greaterThan)),
  NumericGreaterThanEquals: operator(comparing(parseNumber, greaterThanEquals)),
  DateEquals: operator(dateEquals),
  DateNotEquals: operator(dateEquals, NEGATED),
  DateLessThan: operator(comparing(parseDate, lessThan)),
  DateLessThanEquals: operator(comparing(parseDate, lessThanEquals)),
  DateGreaterThan: operator(comparing(parseDate, greaterThan)),
  DateGreaterThanEquals: operator(comparing(parseDate, greaterThanEquals)),
  Bool: operator(stringEqualsIgnoreCase),
  BinaryEquals: operator(decodedBinaryEquals),
  IpAddress: operator(ipAddress),
  NotIpAddress: operator(ipAddress, NEGATED),
  ArnEquals: operator(arnLike, VARIABLES),
  ArnLike: operator(arnLike, VARIABLES),
  ArnNotEquals: operator(arnLike, NEGATED_WITH_VARIABLES),
  ArnNotLike: operator(arnLike, NEGATED_WITH_VARIABLES),
};

const OPERATORS_BY_LOWER_NAME = new Map(Object.entries(OPERATORS).map(([name, op]) => [name.toLowerCase(), op]));

export type SetOperator = "ForAnyValue" | "ForAllValues";

/** A full operator name such as "ForAllValues:StringLikeIfExists" or "Null", taken apart. */
export interface ParsedOperatorName {
  readonly setOperator: SetOperator | undefined;
  /** "Null" checks only whether the key is present. */
  readonly base: ConditionOperator | "Null";
  readonly ifExists: boolean;
}

const SET_PREFIX = /^(ForAnyValue|ForAllValues):/i;
const IF_EXISTS = /IfExists$/i;

/** Names are matched case-insensitively; undefined means the operator does not exist. */
export function parseOperatorName(name: string): ParsedOperatorName | undefined {
  const prefix = SET_PREFIX.exec(name);
  const setOperator = prefix ? (prefix[1]!.toLowerCase() === "foranyvalue" ? "ForAnyValue" : "ForAllValues") : undefined;
  const rest = prefix ? name.slice(prefix[0].length) : name;
  if (rest.toLowerCase() === "null") return { setOperator, base: "Null", ifExists: false };
  const ifExists = IF_EXISTS.test(rest);
  const base = OPERATORS_BY_LOWER_NAME.get((ifExists ? rest.slice(0, -"IfExists".length) : rest).toLowerCase());
  return base ? { setOperator, base, ifExists } : undefined;
}
