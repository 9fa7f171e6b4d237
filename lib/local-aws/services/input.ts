/** Reading awsQuery inputs (string leaves) with the constraints and messages of AWS's query APIs. */
import { AwsError, validationError } from "../errors.ts";
import type { OperationInput } from "../service.ts";

export interface TextConstraint {
  min?: number;
  max: number;
  /** The pattern exactly as the API defines it (and names it in its messages). */
  pattern?: string;
}

const compiledPatterns = new Map<string, RegExp>();
/** Whether `value` matches a pattern written as the API defines it (anchored, unicode). */
export function matchesWhole(pattern: string, value: string): boolean {
  let regex = compiledPatterns.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`, "u");
    compiledPatterns.set(pattern, regex);
  }
  return regex.test(value);
}

/** AWS's wording for a parameter that breaks its constraints; `param` is the camelCase member path. */
export const invalidValue = (param: string, value: string, constraint: string): AwsError =>
  validationError(`1 validation error detected: Value '${value}' at '${param}' failed to satisfy constraint: ${constraint}`);

export function checkText(param: string, value: string, { min = 1, max, pattern }: TextConstraint): string {
  if (value.length < min) throw invalidValue(param, value, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw invalidValue(param, value, `Member must have length less than or equal to ${max}`);
  if (pattern !== undefined && !matchesWhole(pattern, value)) {
    throw invalidValue(param, value, `Member must satisfy regular expression pattern: ${pattern}`);
  }
  return value;
}

export function optionalText(input: OperationInput, name: string, constraint: TextConstraint): string | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidValue(lowerFirst(name), String(value), "Member must be a string");
  return checkText(lowerFirst(name), value, constraint);
}

export const missingParameter = (name: string): AwsError =>
  validationError(`1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`);

export function requiredText(input: OperationInput, name: string, constraint: TextConstraint): string {
  const value = optionalText(input, name, constraint);
  if (value === undefined) throw missingParameter(name);
  return value;
}

export function optionalInteger(input: OperationInput, name: string, min: number, max: number): number | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== "string" || !Number.isInteger(number)) throw validationError(`Value '${String(value)}' at '${lowerFirst(name)}' is not an integer.`);
  if (number < min) throw invalidValue(lowerFirst(name), String(number), `Member must have value greater than or equal to ${min}`);
  if (number > max) throw invalidValue(lowerFirst(name), String(number), `Member must have value less than or equal to ${max}`);
  return number;
}

export const lowerFirst = (name: string) => name[0]!.toLowerCase() + name.slice(1);
