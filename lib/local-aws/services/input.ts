/** Reading operation inputs (string leaves) with the API's validation messages. */
import { validationError } from "../errors.ts";
import type { OperationInput } from "../service.ts";

export function requiredString(input: OperationInput, name: string, pattern: RegExp): string {
  const value = optionalString(input, name, pattern);
  if (value === undefined) throw validationError(`1 validation error detected: Value null at '${lowerFirst(name)}' failed to satisfy constraint: Member must not be null`);
  return value;
}

export function optionalString(input: OperationInput, name: string, pattern: RegExp): string | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !pattern.test(value)) {
    throw validationError(`1 validation error detected: Value at '${lowerFirst(name)}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${pattern.source}`);
  }
  return value;
}

export function optionalInteger(input: OperationInput, name: string, min: number, max: number): number | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (typeof value !== "string" || !Number.isInteger(number)) throw validationError(`Value '${String(value)}' at '${lowerFirst(name)}' is not an integer.`);
  if (number < min) throw validationError(`1 validation error detected: Value '${number}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have value greater than or equal to ${min}`);
  if (number > max) throw validationError(`1 validation error detected: Value '${number}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have value less than or equal to ${max}`);
  return number;
}

export const lowerFirst = (name: string) => name[0]!.toLowerCase() + name.slice(1);
