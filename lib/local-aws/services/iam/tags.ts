/** IAM tags: their limits, merging (keys are case-insensitive) and the condition keys they feed. */
import type { ConditionContext } from "../../auth/policy/types.ts";
import { AwsError, limitExceeded } from "../../errors.ts";
import type { OperationInput } from "../../service.ts";
import { lowerFirst } from "../input.ts";
import type { Tag } from "./model.ts";
import { checkText, invalidValue, missingParameter, type TextConstraint } from "./validation.ts";

const MAX_TAGS = 50;
const TAG_KEY: TextConstraint = { max: 128, pattern: "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+" };
const TAG_VALUE: TextConstraint = { min: 0, max: 256, pattern: "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*" };

const sameKey = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function readList(input: OperationInput, name: string, required: boolean): unknown[] {
  const value = input[name];
  if (value === undefined) {
    if (required) throw missingParameter(name);
    return [];
  }
  // awsQuery clients send an empty list as a bare "Name=".
  if (value === "") return [];
  const param = lowerFirst(name);
  if (!Array.isArray(value)) throw invalidValue(param, String(value), "Member must be a list");
  if (value.length > MAX_TAGS) throw invalidValue(param, JSON.stringify(value), `Member must have length less than or equal to ${MAX_TAGS}`);
  return value;
}

/** `Tags` of a create or tag request; `required` for TagUser/TagRole/TagPolicy. */
export function readTags(input: OperationInput, required = false): Tag[] {
  const tags = readList(input, "Tags", required).map((item, index) => {
    const tag = (item ?? {}) as Record<string, unknown>;
    const key = typeof tag.Key === "string" ? tag.Key : "";
    const value = typeof tag.Value === "string" ? tag.Value : "";
    checkText(`tags.${index + 1}.member.key`, key, TAG_KEY);
    checkText(`tags.${index + 1}.member.value`, value, TAG_VALUE);
    return { Key: key, Value: value };
  });
  if (tags.some((tag, index) => tags.findIndex((other) => sameKey(other.Key, tag.Key)) !== index)) {
    throw new AwsError("InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
  }
  return tags;
}

export function readTagKeys(input: OperationInput): string[] {
  return readList(input, "TagKeys", true).map((key, index) => checkText(`tagKeys.${index + 1}.member`, typeof key === "string" ? key : "", TAG_KEY));
}

/** `existing` with `added` set, replacing tags whose keys differ only in case. */
export function mergeTags(existing: readonly Tag[], added: readonly Tag[], quotaName: string): Tag[] {
  const merged = existing.filter((tag) => !added.some((other) => sameKey(other.Key, tag.Key))).concat(added);
  if (merged.length > MAX_TAGS) throw limitExceeded(`Cannot exceed quota for ${quotaName}: ${MAX_TAGS}`);
  return merged;
}

export const withoutTags = (existing: readonly Tag[], keys: readonly string[]): Tag[] =>
  existing.filter((tag) => !keys.some((key) => sameKey(key, tag.Key)));

/** aws:RequestTag/KEY and aws:TagKeys for requests that carry tags. */
export function requestTagContext(tags: readonly Tag[]): ConditionContext {
  const context: ConditionContext = {};
  for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  if (tags.length > 0) context["aws:TagKeys"] = tags.map((tag) => tag.Key);
  return context;
}

/** aws:ResourceTag/KEY and its IAM alias iam:ResourceTag/KEY for requests on a tagged user, role or policy. */
export function resourceTagContext(tags: readonly Tag[]): ConditionContext {
  const context: ConditionContext = {};
  for (const tag of tags) {
    context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
    context[`iam:ResourceTag/${tag.Key}`] = tag.Value;
  }
  return context;
}
