/** Policy documents: validation on the way in, the encoded form IAM returns, parsed forms for evaluation. */
import { decodePolicyText, parsePolicyDocument, PolicyDocumentError, type ParseOptions } from "../../auth/policy/index.ts";
import type { PolicyDocument } from "../../auth/policy/types.ts";
import { limitExceeded, malformedPolicyDocument } from "../../errors.ts";

export interface SubmittedDocument {
  /** The document's JSON, as submitted (IAM also accepts it URL-encoded; this is the decoded text). */
  json: string;
  document: PolicyDocument;
}

/** Checks a submitted document; its faults become MalformedPolicyDocument or LimitExceeded with AWS's message. */
export function validatedDocument(text: string, kind: "identity" | "trust", options: ParseOptions = {}): SubmittedDocument {
  try {
    return { document: parsePolicyDocument(text, kind, options), json: decodePolicyText(text) };
  } catch (error) {
    if (!(error instanceof PolicyDocumentError)) throw error;
    throw error.code === "LimitExceeded" ? limitExceeded(error.message) : malformedPolicyDocument(error.message);
  }
}

/** IAM returns documents URL-encoded (the SDK hands them back that way, the CLI decodes them). */
export const encodeDocument = (json: string): string => encodeURIComponent(json);

const MAX_CACHED_DOCUMENTS = 2000;
const parsedDocuments = new Map<string, PolicyDocument>();

/**
 * The parsed form of a stored, already validated document, for evaluation. The same JSON always
 * yields the same object, so the policy engine compiles each document once. Treat it as read-only.
 */
export function storedDocument(json: string): PolicyDocument {
  let document = parsedDocuments.get(json);
  if (!document) {
    document = JSON.parse(json) as PolicyDocument;
    if (parsedDocuments.size >= MAX_CACHED_DOCUMENTS) parsedDocuments.delete(parsedDocuments.keys().next().value!);
    parsedDocuments.set(json, document);
  }
  return document;
}
