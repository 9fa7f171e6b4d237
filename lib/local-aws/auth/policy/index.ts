export { evaluate } from "./evaluate.ts";
export { decodePolicyText, parsePolicyDocument, PolicyDocumentError, type ParseOptions, type PolicyErrorCode } from "./validate.ts";
export { POLICY_SIZE_LIMITS, policySize } from "./limits.ts";
export type * from "./types.ts";
