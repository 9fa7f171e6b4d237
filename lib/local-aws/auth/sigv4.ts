import { createHash, timingSafeEqual } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import type { HttpRequest, QueryParameterBag } from "@smithy/types";
import { AwsError } from "../errors.ts";
import type { RawRequest } from "../protocols/types.ts";
import { singleHeader, type SignatureClaim } from "./claim.ts";
import { NodeSha256 } from "./node-hash.ts";

const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/**
 * Rejects a request signed more than 15 minutes off the server's clock, as AWS does: S3 answers
 * RequestTimeTooSkewed with its RequestTime, ServerTime and MaxAllowedSkewMilliseconds (the SDKs
 * correct their clock from ServerTime and retry), other services SignatureDoesNotMatch. A presigned
 * URL is good from its X-Amz-Date until X-Amz-Expires seconds later
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html).
 */
export function checkSigningTime(claim: SignatureClaim, now: Date): void {
  const signedAt = parseAmzDate(claim.amzDate);
  if (!claim.amzDate.startsWith(claim.scopeDate)) {
    throw new AwsError("SignatureDoesNotMatch", `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${claim.scopeDate}' != '${claim.amzDate.slice(0, 8)}'`, 403);
  }
  const skew = signedAt.getTime() - now.getTime();
  if (claim.expiresSeconds !== undefined) {
    const expiresAt = new Date(signedAt.getTime() + claim.expiresSeconds * 1000);
    if (now > expiresAt) {
      throw new AwsError("AccessDenied", "Request has expired", 403, "Sender", {
        "X-Amz-Expires": claim.expiresSeconds,
        Expires: isoSeconds(expiresAt),
        ServerTime: isoSeconds(now),
      });
    }
  }
  // A presigned URL stays good after 15 minutes if it says so; none is good before its time.
  const late = claim.expiresSeconds === undefined && skew < -MAX_CLOCK_SKEW_MS;
  const early = skew > MAX_CLOCK_SKEW_MS;
  if (!late && !early) return;
  if (claim.service === "s3") {
    throw new AwsError("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.", 403, "Sender", {
      RequestTime: claim.amzDate,
      ServerTime: isoSeconds(now),
      MaxAllowedSkewMilliseconds: MAX_CLOCK_SKEW_MS,
    });
  }
  if (late) {
    throw new AwsError("SignatureDoesNotMatch", `Signature expired: ${claim.amzDate} is now earlier than ${formatAmzDate(new Date(now.getTime() - MAX_CLOCK_SKEW_MS))} (${formatAmzDate(now)} - 15 min.)`, 403);
  }
  throw new AwsError("SignatureDoesNotMatch", `Signature not yet current: ${claim.amzDate} is still later than ${formatAmzDate(new Date(now.getTime() + MAX_CLOCK_SKEW_MS))} (${formatAmzDate(now)} + 15 min.)`, 403);
}

/**
 * Re-signs the request with the secret the server holds and compares in constant time. The
 * canonical request is built from the request as received: each signed header's values, trimmed and
 * joined with a comma when it came more than once (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
 */
export async function verifySignature(request: RawRequest, claim: SignatureClaim, secretAccessKey: string, bodyStreamed = false): Promise<void> {
  if (!bodyStreamed) checkDeclaredPayloadHash(request, claim);
  const signer = new SignatureV4({
    credentials: { accessKeyId: claim.accessKeyId, secretAccessKey },
    region: claim.region,
    service: claim.service,
    sha256: NodeSha256,
    uriEscapePath: claim.service !== "s3",
    applyChecksum: false,
  });
  const headers: Record<string, string> = { "x-amz-content-sha256": payloadHash(request, claim) };
  for (const name of claim.signedHeaders) {
    const values = request.headersDistinct[name];
    if (values === undefined) {
      throw new AwsError("SignatureDoesNotMatch", `The request signature we calculated does not match the signature you provided: signed header ${name} is missing.`, 403);
    }
    headers[name] = values.map((value) => value.trim().replace(/\s+/g, " ")).join(",");
  }
  const unsigned: HttpRequest = {
    method: request.method,
    protocol: "http:",
    hostname: headers.host ?? "",
    path: request.rawPath,
    query: queryBag(request.query),
    headers,
  };
  const signed = await signer.sign(unsigned, {
    signingDate: parseAmzDate(claim.amzDate),
    signingRegion: claim.region,
    signingService: claim.service,
    signableHeaders: new Set(claim.signedHeaders),
    unsignableHeaders: NOT_SIGNED_UNLESS_LISTED,
  });
  const expected = /Signature=([0-9a-f]+)/.exec(signed.headers.authorization ?? "")?.[1] ?? "";
  if (!constantTimeEquals(expected, claim.signature)) {
    throw new AwsError("SignatureDoesNotMatch", SIGNATURE_MISMATCH, 403);
  }
}

/** Headers the signer adds or reads (date, payload hash) that count only when the client signed them. */
const NOT_SIGNED_UNLESS_LISTED = new Set(["x-amz-date", "x-amz-content-sha256"]);

/**
 * The payload hash that ends the canonical request: the declared x-amz-content-sha256; for a
 * presigned S3 URL, UNSIGNED-PAYLOAD; otherwise the body's own hash.
 */
function payloadHash(request: RawRequest, claim: SignatureClaim): string {
  const declared = singleHeader(request, "x-amz-content-sha256");
  if (declared !== undefined) return declared;
  if (claim.location === "query" && claim.service === "s3") return "UNSIGNED-PAYLOAD";
  return createHash("sha256").update(request.body).digest("hex");
}

/**
 * The signature covers x-amz-content-sha256, not the body itself: a body that does not hash to the
 * declared value was changed after signing. Only S3 accepts payloads that are not hashed up front.
 */
function checkDeclaredPayloadHash(request: RawRequest, claim: SignatureClaim): void {
  const declared = singleHeader(request, "x-amz-content-sha256");
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

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function formatAmzDate(date: Date): string {
  return isoSeconds(date).replace(/[-:]/g, "");
}
