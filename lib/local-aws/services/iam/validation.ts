/** Reading IAM inputs (string leaves) with the constraints and messages of IAM's API. */
import { AwsError, validationError } from "../../errors.ts";
import type { OperationInput } from "../../service.ts";
import { checkText, invalidValue, lowerFirst, matchesWhole, missingParameter, optionalText, requiredText, type TextConstraint } from "../input.ts";

export { checkText, invalidValue, missingParameter, optionalText, requiredText, type TextConstraint };

const ENTITY_NAME_PATTERN = "[\\w+=,.@-]+";
export const USER_NAME: TextConstraint = { max: 64, pattern: ENTITY_NAME_PATTERN };
export const ROLE_NAME: TextConstraint = { max: 64, pattern: ENTITY_NAME_PATTERN };
export const GROUP_NAME: TextConstraint = { max: 128, pattern: ENTITY_NAME_PATTERN };
export const POLICY_NAME: TextConstraint = { max: 128, pattern: ENTITY_NAME_PATTERN };
export const POLICY_DESCRIPTION: TextConstraint = { min: 0, max: 1000 };
export const ROLE_DESCRIPTION: TextConstraint = { min: 0, max: 1000, pattern: "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*" };
export const POLICY_DOCUMENT: TextConstraint = { max: 131072, pattern: "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+" };
export const VERSION_ID: TextConstraint = { max: 128, pattern: "v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?" };
export const ACCESS_KEY_ID: TextConstraint = { min: 16, max: 128, pattern: "[\\w]+" };
const POLICY_ARN: TextConstraint = { min: 20, max: 2048 };
const PATH: TextConstraint = { max: 512, pattern: "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)" };
const PATH_PREFIX: TextConstraint = { max: 512, pattern: "\\u002F[\\u0021-\\u007F]*" };

/** An entity path: "/" when absent. */
export function readPath(input: OperationInput): string {
  const value = input.Path;
  if (value === undefined) return "/";
  if (typeof value !== "string" || value.length > PATH.max || !matchesWhole(PATH.pattern!, value)) {
    throw validationError(
      "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.",
    );
  }
  return value;
}

export const readPathPrefix = (input: OperationInput): string => optionalText(input, "PathPrefix", PATH_PREFIX) ?? "/";

export function readPolicyArn(input: OperationInput): string {
  const arn = requiredText(input, "PolicyArn", POLICY_ARN);
  if (!arn.startsWith("arn:aws:iam::") || !arn.includes(":policy/")) throw new AwsError("InvalidInput", `ARN ${arn} is not valid.`);
  return arn;
}

export function readEnum<T extends string>(input: OperationInput, name: string, values: readonly T[]): T | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (!values.includes(value as T)) {
    throw invalidValue(lowerFirst(name), String(value), `Member must satisfy enum value set: [${values.join(", ")}]`);
  }
  return value as T;
}

/** IAM features this local AWS does not model are refused rather than silently ignored. */
export function rejectUnsupported(input: OperationInput, name: string): void {
  if (input[name] !== undefined) throw new AwsError("NotImplemented", `${name} is not supported by the local AWS.`, 501);
}

export function readBoolean(input: OperationInput, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined) return undefined;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw validationError(`Value '${String(value)}' at '${lowerFirst(name)}' is not a valid boolean.`);
}
