import { AwsError } from "../errors.ts";
import type { RawRequest } from "../protocols/types.ts";

/** What a SigV4-signed request claims: from its Authorization header, or from the query string of a presigned URL. */
export interface SignatureClaim {
  /** Where the signature travels. */
  location: "header" | "query";
  accessKeyId: string;
  /** Credential scope: yyyymmdd/region/service/aws4_request. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** x-amz-date (X-Amz-Date of a presigned URL), yyyymmddThhmmssZ. */
  amzDate: string;
  sessionToken?: string;
  /** X-Amz-Expires of a presigned URL: seconds from amzDate. */
  expiresSeconds?: number;
}

/** The longest a presigned URL may last: seven days. */
const MAX_PRESIGNED_SECONDS = 604_800;
const QUERY_PARAMETERS = ["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"] as const;

/** Whether the request is signed at all: in its Authorization header or its query string. */
export function isSigned(request: RawRequest): boolean {
  return request.headers.authorization !== undefined || request.query.has("X-Amz-Algorithm");
}

/**
 * Reads the claim a signed request makes; throws AWS's errors for a missing or malformed one. A
 * request with X-Amz-Algorithm in its query string is presigned ("Authenticating Requests: Using
 * Query Parameters", https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
 */
export function parseSignatureClaim(request: RawRequest): SignatureClaim {
  return request.query.has("X-Amz-Algorithm") ? queryClaim(request) : headerClaim(request);
}

function headerClaim(request: RawRequest): SignatureClaim {
  const header = request.headers.authorization ?? "";
  const match = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(header);
  if (!match) {
    throw new AwsError("IncompleteSignature", `Authorization header must use AWS4-HMAC-SHA256: ${header.split(/\s/)[0]}`, 403);
  }
  const fields = new Map<string, string>();
  for (const part of match[1]!.split(",")) {
    const [name, ...rest] = part.trim().split("=");
    if (name) fields.set(name, rest.join("="));
  }
  const credential = fields.get("Credential");
  const signedHeaders = fields.get("SignedHeaders");
  const signature = fields.get("Signature");
  if (!credential || !signedHeaders || !signature) {
    throw new AwsError(
      "IncompleteSignature",
      "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
      403,
    );
  }
  const amzDate = singleHeader(request, "x-amz-date");
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    throw new AwsError("IncompleteSignature", "Authorization requires a valid X-Amz-Date header (yyyyMMdd'T'HHmmss'Z').", 403);
  }
  const sessionToken = singleHeader(request, "x-amz-security-token");
  return {
    location: "header",
    ...credentialScope(credential, (message) => new AwsError("IncompleteSignature", message, 403)),
    signedHeaders: signedHeaders.split(";").map((h) => h.toLowerCase()),
    signature: signature.toLowerCase(),
    amzDate,
    ...(sessionToken ? { sessionToken } : {}),
  };
}

/** S3 answers a malformed presigned URL with 400 AuthorizationQueryParametersError. */
function queryClaim(request: RawRequest): SignatureClaim {
  const malformed = (message: string) => new AwsError("AuthorizationQueryParametersError", message, 400);
  const [algorithm, credential, signature, amzDate, signedHeaders, expires] = QUERY_PARAMETERS.map((name) => request.query.get(name));
  if (!algorithm || !credential || !signature || !amzDate || !signedHeaders || expires === undefined || expires === null) {
    throw malformed("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.");
  }
  if (algorithm !== "AWS4-HMAC-SHA256") throw malformed("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  if (!/^\d{8}T\d{6}Z$/.test(amzDate)) throw malformed("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  if (!/^\d+$/.test(expires)) throw malformed("X-Amz-Expires should be a number");
  const expiresSeconds = Number(expires);
  if (expiresSeconds > MAX_PRESIGNED_SECONDS) throw malformed(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_SECONDS}`);
  const sessionToken = request.query.get("X-Amz-Security-Token");
  return {
    location: "query",
    ...credentialScope(credential, malformed),
    signedHeaders: signedHeaders.split(";").map((h) => h.toLowerCase()),
    signature: signature.toLowerCase(),
    amzDate,
    expiresSeconds,
    ...(sessionToken ? { sessionToken } : {}),
  };
}

function credentialScope(credential: string, malformed: (message: string) => AwsError) {
  const scope = credential.split("/");
  if (scope.length !== 5 || scope[4] !== "aws4_request" || !/^\d{8}$/.test(scope[1]!)) {
    throw malformed(`Credential should be scoped to a valid region and service: ${credential}`);
  }
  const [accessKeyId, scopeDate, region, service] = scope as [string, string, string, string];
  return { accessKeyId, scopeDate, region, service };
}

/**
 * What must be signed, once the claim's scope is known to name the service the request reached
 * (auth/scope.ts), since S3 requires more. Every service: the host header ("Signature Version 4 signing",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html: "the
 * host header must be included as a signed header"), so a signature cannot be replayed at another
 * host. S3 also requires x-amz-content-sha256 on every header-signed request, and every x-amz-*
 * header a request carries to be signed ("Signature Calculations for the Authorization Header:
 * Transferring Payload in a Single Chunk",
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html); it names what was
 * left unsigned in HeadersNotSigned.
 */
export function checkSignedHeaders(request: RawRequest, claim: SignatureClaim): void {
  const signed = new Set(claim.signedHeaders);
  if (claim.service !== "s3") {
    if (!signed.has("host")) throw new AwsError("IncompleteSignature", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", 403);
    return;
  }
  if (claim.location === "header" && request.headers["x-amz-content-sha256"] === undefined) {
    throw new AwsError("InvalidRequest", "Missing required header for this request: x-amz-content-sha256", 400);
  }
  const unsigned = Object.keys(request.headers).filter((name) => (name === "host" || name.startsWith("x-amz-")) && !signed.has(name));
  if (unsigned.length > 0) {
    throw new AwsError("AccessDenied", "There were headers present in the request which were not signed", 403, "Sender", { HeadersNotSigned: unsigned.join(", ") });
  }
}

/** One header's value as sent (the first, if it came more than once). */
export function singleHeader(request: RawRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
