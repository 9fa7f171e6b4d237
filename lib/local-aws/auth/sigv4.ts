import { createHash, timingSafeEqual } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { HttpRequest, QueryParameterBag } from "@smithy/types";
import { AwsError } from "../errors.ts";
import type { RawRequest } from "../protocols/types.ts";
import { NodeSha256 } from "./node-hash.ts";

/** The parts of a SigV4 Authorization header. */
export interface SignatureClaim {
  accessKeyId: string;
  /** Credential scope: yyyymmdd/region/service/aws4_request. */
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** x-amz-date, yyyymmddThhmmssZ. */
  amzDate: string;
  sessionToken?: string;
}

const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export function hasAuthorization(request: RawRequest): boolean {
  return request.headers.authorization !== undefined;
}

/** Reads the claim a request makes; throws AWS's errors for a missing or malformed header. */
export function parseSignatureClaim(request: RawRequest): SignatureClaim {
  const header = request.headers.authorization;
  if (!header) throw new AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
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
  const scope = credential.split("/");
  if (scope.length !== 5 || scope[4] !== "aws4_request" || !/^\d{8}$/.test(scope[1]!)) {
    throw new AwsError("IncompleteSignature", `Credential should be scoped to a valid region and service: ${credential}`, 403);
  }
  const amzDate = headerValue(request, "x-amz-date");
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    throw new AwsError("IncompleteSignature", "Authorization requires a valid X-Amz-Date header (yyyyMMdd'T'HHmmss'Z').", 403);
  }
  const [accessKeyId, scopeDate, region, service] = scope as [string, string, string, string];
  const sessionToken = headerValue(request, "x-amz-security-token");
  return {
    accessKeyId,
    scopeDate,
    region,
    service,
    signedHeaders: signedHeaders.split(";").map((h) => h.toLowerCase()),
    signature: signature.toLowerCase(),
    amzDate,
    ...(sessionToken ? { sessionToken } : {}),
  };
}

/** Rejects a request whose signing time is more than 15 minutes off the server's clock, as AWS does. */
export function checkSigningTime(claim: SignatureClaim, now: Date): void {
  const signedAt = parseAmzDate(claim.amzDate);
  if (!claim.amzDate.startsWith(claim.scopeDate)) {
    throw new AwsError("SignatureDoesNotMatch", `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${claim.scopeDate}' != '${claim.amzDate.slice(0, 8)}'`, 403);
  }
  const skew = signedAt.getTime() - now.getTime();
  if (skew < -MAX_CLOCK_SKEW_MS) {
    throw new AwsError("SignatureDoesNotMatch", `Signature expired: ${claim.amzDate} is now earlier than ${formatAmzDate(new Date(now.getTime() - MAX_CLOCK_SKEW_MS))} (${formatAmzDate(now)} - 15 min.)`, 403);
  }
  if (skew > MAX_CLOCK_SKEW_MS) {
    throw new AwsError("SignatureDoesNotMatch", `Signature not yet current: ${claim.amzDate} is still later than ${formatAmzDate(new Date(now.getTime() + MAX_CLOCK_SKEW_MS))} (${formatAmzDate(now)} + 15 min.)`, 403);
  }
}

/** Re-signs the request with the secret the server holds and compares in constant time. */
export async function verifySignature(request: RawRequest, claim: SignatureClaim, secretAccessKey: string, bodyStreamed = false): Promise<void> {
  if (!bodyStreamed) checkDeclaredPayloadHash(request, claim);
  const tokenIsSigned = claim.signedHeaders.includes("x-amz-security-token");
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: claim.accessKeyId,
      secretAccessKey,
      ...(tokenIsSigned && claim.sessionToken ? { sessionToken: claim.sessionToken } : {}),
    },
    region: claim.region,
    service: claim.service,
    sha256: NodeSha256,
    uriEscapePath: claim.service !== "s3",
    applyChecksum: false,
  });
  const headers: Record<string, string> = {};
  for (const name of claim.signedHeaders) {
    const value = headerValue(request, name);
    if (value === undefined) {
      throw new AwsError("SignatureDoesNotMatch", `The request signature we calculated does not match the signature you provided: signed header ${name} is missing.`, 403);
    }
    headers[name] = value;
  }
  const unsigned: HttpRequest = {
    method: request.method,
    protocol: "http:",
    hostname: headers.host ?? "",
    path: request.rawPath,
    query: queryBag(request.query),
    headers,
    body: request.body,
  };
  const signed = await signer.sign(unsigned, {
    signingDate: parseAmzDate(claim.amzDate),
    signingRegion: claim.region,
    signingService: claim.service,
    signableHeaders: new Set(claim.signedHeaders),
  });
  const expected = /Signature=([0-9a-f]+)/.exec(signed.headers.authorization ?? "")?.[1] ?? "";
  if (!constantTimeEquals(expected, claim.signature)) {
    throw new AwsError("SignatureDoesNotMatch", SIGNATURE_MISMATCH, 403);
  }
}

/**
 * The signature covers x-amz-content-sha256, not the body itself: a body that does not hash to the
 * declared value was changed after signing. Only S3 accepts payloads that are not hashed up front.
 */
function checkDeclaredPayloadHash(request: RawRequest, claim: SignatureClaim): void {
  const declared = headerValue(request, "x-amz-content-sha256");
  if (declared === undefined) return;
  if (/^[0-9a-f]{64}$/.test(declared)) {
    if (createHash("sha256").update(request.body).digest("hex") === declared) return;
    if (claim.service === "s3") {
      throw new AwsError("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400);
    }
  } else if (claim.service === "s3") {
    return;
  }
  throw new AwsError("SignatureDoesNotMatch", SIGNATURE_MISMATCH, 403);
}

const SIGNATURE_MISMATCH =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

function headerValue(request: RawRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function queryBag(query: URLSearchParams): QueryParameterBag {
  const bag: QueryParameterBag = {};
  for (const [name, value] of query) {
    const existing = bag[name];
    if (existing === undefined || existing === null) bag[name] = value;
    else bag[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return bag;
}

function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)!;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}
