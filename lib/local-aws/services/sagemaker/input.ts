import { AwsError } from "../../errors.ts";
import type { OperationInput } from "../../service.ts";
import { lowerFirst } from "../input.ts";

/** SageMaker's ValidationException, in its "1 validation error detected" wording. */
export function invalid(message: string): AwsError {
  return new AwsError("ValidationException", message, 400);
}

const constraint = (value: unknown, member: string, rule: string) =>
  invalid(`1 validation error detected: Value '${typeof value === "string" ? value : JSON.stringify(value)}' at '${member}' failed to satisfy constraint: ${rule}`);

/** A required member left out. */
export const missing = (path: string) => invalid(`1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`);

export const RESOURCE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
export const AUTOML_JOB_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,31}$/;
export const ROLE_ARN = /^arn:aws[a-z\-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-_/]+$/;
export const S3_URI = /^(https|s3):\/\/([^/]+)\/?(.*)$/;
/** The NameContains filter of the List operations. */
export const NAME_CONTAINS = /^[a-zA-Z0-9-]{0,63}$/;

export function requiredString(input: Record<string, unknown>, name: string, pattern: RegExp, path = lowerFirst(name)): string {
  const value = input[name];
  if (value === undefined || value === null) throw missing(path);
  return checkString(value, pattern, path);
}

export function optionalString(input: Record<string, unknown>, name: string, pattern: RegExp, path = lowerFirst(name)): string | undefined {
  const value = input[name];
  return value === undefined || value === null ? undefined : checkString(value, pattern, path);
}

function checkString(value: unknown, pattern: RegExp, path: string): string {
  if (typeof value !== "string") throw constraint(value, path, "Member must be a string");
  if (!pattern.test(value)) throw constraint(value, path, `Member must satisfy regular expression pattern: ${pattern.source}`);
  return value;
}

/** One of an enum's members, refused in AWS's words ("Member must satisfy enum value set: [...]"). */
export function optionalEnum<T extends string>(input: Record<string, unknown>, name: string, members: readonly T[], path = lowerFirst(name)): T | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || !(members as readonly string[]).includes(value)) throw constraint(value, path, `Member must satisfy enum value set: [${members.join(", ")}]`);
  return value as T;
}

export function requiredEnum<T extends string>(input: Record<string, unknown>, name: string, members: readonly T[], path = lowerFirst(name)): T {
  const value = optionalEnum(input, name, members, path);
  if (value === undefined) throw missing(path);
  return value;
}

export function optionalInteger(input: Record<string, unknown>, name: string, min: number, max: number, path = lowerFirst(name)): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw constraint(value, path, "Member must be an integer");
  if (value < min) throw constraint(value, path, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraint(value, path, `Member must have value less than or equal to ${max}`);
  return value;
}

export function objectField(input: Record<string, unknown>, name: string, path = lowerFirst(name)): Record<string, unknown> | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) throw constraint(value, path, "Member must be a structure");
  return value as Record<string, unknown>;
}

export function listField(input: Record<string, unknown>, name: string, min: number, max: number, path = lowerFirst(name)): Record<string, unknown>[] {
  const value = input[name] ?? [];
  if (!Array.isArray(value)) throw constraint(value, path, "Member must be a list");
  if (value.length < min) throw constraint(value, path, `Member must have length greater than or equal to ${min}`);
  if (value.length > max) throw constraint(value, path, `Member must have length less than or equal to ${max}`);
  return value.map((item, i) => {
    if (typeof item !== "object" || item === null || Array.isArray(item)) throw constraint(item, `${path}.${i + 1}.member`, "Member must be a structure");
    return item as Record<string, unknown>;
  });
}

export function stringMap(input: Record<string, unknown>, name: string, maxEntries: number, path = lowerFirst(name)): Record<string, string> | undefined {
  const value = objectField(input, name, path);
  if (!value) return undefined;
  const entries = Object.entries(value);
  if (entries.length > maxEntries) throw constraint(value, path, `Member must have length less than or equal to ${maxEntries}`);
  for (const [key, entry] of entries) {
    if (typeof entry !== "string" || entry.length > 1024 || key.length > 1024) throw constraint(entry, `${path}.${key}`, "Member must be a string of at most 1024 characters");
  }
  return value as Record<string, string>;
}

/** Tags as SageMaker takes them: at most 50, keys 1-128, values up to 256 characters. */
export function tags(input: OperationInput): { Key: string; Value: string }[] {
  return listField(input, "Tags", 0, 50).map((tag, i) => ({
    Key: requiredString(tag, "Key", /^.{1,128}$/s, `tags.${i + 1}.member.key`),
    Value: optionalString(tag, "Value", /^.{0,256}$/s, `tags.${i + 1}.member.value`) ?? "",
  }));
}
