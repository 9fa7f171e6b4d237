import { createHash, createHmac, timingSafeEqual, type Hash } from "node:crypto";
import { PassThrough, Transform, type Readable, type TransformCallback } from "node:stream";
import { AwsError } from "../errors.ts";
import type { SignatureClaim } from "./claim.ts";

/** A request body as signed: decoded from aws-chunked if need be, checked against what the client signed. */
export interface VerifiedPayload {
  /** The decoded body; fails with an AwsError when it does not match its signature or hash. */
  stream: Readable;
  /** Trailing headers (x-amz-checksum-*) of an aws-chunked body; complete once `stream` has ended. */
  trailers: Record<string, string>;
}

/** What verifies chunk signatures: the request's claim and the signer's secret. */
export interface RequestSigning {
  claim: SignatureClaim;
  secretAccessKey: string;
}

const EMPTY_SHA256 = createHash("sha256").digest("hex");
const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * Wraps a raw body according to its x-amz-content-sha256: a hex hash is checked at the end,
 * UNSIGNED-PAYLOAD passes through, STREAMING-* bodies are aws-chunked (chunk signatures and a
 * trailer signature verified when signed). A presigned URL or an anonymous request may declare
 * none: its payload is UNSIGNED-PAYLOAD. `signing` is absent for an anonymous request.
 */
export function openPayload(body: Readable, contentSha256: string | undefined, signing: RequestSigning | undefined): VerifiedPayload {
  const trailers: Record<string, string> = {};
  const mode = contentSha256 ?? "UNSIGNED-PAYLOAD";
  let decoder: Transform;
  if (HEX_SHA256.test(mode)) decoder = new HashCheck(mode);
  else if (mode === "UNSIGNED-PAYLOAD") decoder = new PassThrough();
  else if (mode === "STREAMING-UNSIGNED-PAYLOAD-TRAILER") decoder = new AwsChunkedDecoder(trailers, undefined);
  else if (mode === "STREAMING-AWS4-HMAC-SHA256-PAYLOAD" || mode === "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER") {
    if (!signing) throw new AwsError("InvalidRequest", `x-amz-content-sha256 ${mode} needs a signed request.`);
    decoder = new AwsChunkedDecoder(trailers, new ChunkSigner(signing.claim, signing.secretAccessKey));
  } else {
    throw new AwsError("InvalidArgument", `x-amz-content-sha256 must be a SHA-256 hex digest, UNSIGNED-PAYLOAD or a STREAMING-* value, not "${mode}".`);
  }
  body.on("aborted", () => decoder.destroy(incompleteBody()));
  body.on("error", (error) => decoder.destroy(error));
  return { stream: body.pipe(decoder), trailers };
}

const incompleteBody = () => new AwsError("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.", 400);

class HashCheck extends Transform {
  private readonly hash = createHash("sha256");

  constructor(private readonly expected: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.hash.digest("hex") === this.expected) done();
    else done(new AwsError("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", 400));
  }
}

/** SigV4 streaming signatures: each chunk signed over the previous signature, seeded by the request's. */
class ChunkSigner {
  private previous: string;
  private readonly key: Buffer;
  private readonly scope: string;

  constructor(private readonly claim: SignatureClaim, secretAccessKey: string) {
    this.previous = claim.signature;
    this.scope = `${claim.scopeDate}/${claim.region}/${claim.service}/aws4_request`;
    this.key = [claim.scopeDate, claim.region, claim.service, "aws4_request"].reduce<Buffer>(
      (key, part) => createHmac("sha256", key).update(part).digest(),
      Buffer.from(`AWS4${secretAccessKey}`, "utf8"),
    );
  }

  verifyChunk(dataSha256: string, claimed: string | undefined): void {
    this.verify(["AWS4-HMAC-SHA256-PAYLOAD", this.claim.amzDate, this.scope, this.previous, EMPTY_SHA256, dataSha256].join("\n"), claimed);
  }

  verifyTrailer(canonicalTrailers: string, claimed: string | undefined): void {
    const trailerHash = createHash("sha256").update(canonicalTrailers).digest("hex");
    this.verify(["AWS4-HMAC-SHA256-TRAILER", this.claim.amzDate, this.scope, this.previous, trailerHash].join("\n"), claimed);
  }

  private verify(stringToSign: string, claimed: string | undefined): void {
    const expected = createHmac("sha256", this.key).update(stringToSign).digest("hex");
    const given = Buffer.from(claimed ?? "", "utf8");
    if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected, "utf8"))) {
      throw new AwsError("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided (aws-chunked chunk signature).", 403);
    }
    this.previous = expected;
  }
}

const MAX_LINE = 4096;

/** Decodes `Content-Encoding: aws-chunked`: `size[;chunk-signature=..]\r\n data \r\n ... 0\r\n trailers \r\n`. */
class AwsChunkedDecoder extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private state: "size" | "data" | "data-end" | "trailer" | "done" = "size";
  private remaining = 0;
  private chunkSignature: string | undefined;
  private chunkHash: Hash | undefined;
  private readonly trailerLines: string[] = [];

  constructor(
    private readonly trailers: Record<string, string>,
    private readonly signer: ChunkSigner | undefined,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
      this.drain();
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.state === "done" ? undefined : incompleteBody());
  }

  private drain(): void {
    for (;;) {
      if (this.state === "data") {
        if (this.pending.length === 0) return;
        const piece = this.pending.subarray(0, this.remaining);
        this.pending = this.pending.subarray(piece.length);
        this.remaining -= piece.length;
        this.chunkHash?.update(piece);
        this.push(piece);
        if (this.remaining === 0) this.state = "data-end";
        continue;
      }
      if (this.state === "done") {
        if (this.pending.length) throw malformed("data after the final chunk");
        return;
      }
      const line = this.readLine();
      if (line === undefined) return;
      if (this.state === "data-end") {
        if (line !== "") throw malformed("chunk data longer than its declared size");
        this.finishChunk();
        this.state = "size";
      } else if (this.state === "size") {
        this.startChunk(line);
      } else {
        this.readTrailerLine(line);
      }
    }
  }

  private readLine(): string | undefined {
    const end = this.pending.indexOf("\r\n");
    if (end < 0) {
      if (this.pending.length > MAX_LINE) throw malformed("line too long");
      return undefined;
    }
    const line = this.pending.subarray(0, end).toString("latin1");
    this.pending = this.pending.subarray(end + 2);
    return line;
  }

  private startChunk(line: string): void {
    const [sizeText, ...extensions] = line.split(";");
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText ?? "")) throw malformed(`bad chunk size "${sizeText}"`);
    this.remaining = Number.parseInt(sizeText!, 16);
    this.chunkSignature = extensions.find((e) => e.startsWith("chunk-signature="))?.slice("chunk-signature=".length);
    this.chunkHash = this.signer ? createHash("sha256") : undefined;
    if (this.remaining > 0) {
      this.state = "data";
      return;
    }
    this.finishChunk();
    this.state = "trailer";
  }

  private finishChunk(): void {
    if (this.signer) this.signer.verifyChunk(this.chunkHash!.digest("hex"), this.chunkSignature);
  }

  private readTrailerLine(line: string): void {
    if (line !== "") {
      this.trailerLines.push(line);
      return;
    }
    let trailerSignature: string | undefined;
    const signed: string[] = [];
    for (const trailer of this.trailerLines) {
      const colon = trailer.indexOf(":");
      if (colon < 1) throw malformed(`bad trailer "${trailer}"`);
      const name = trailer.slice(0, colon).trim().toLowerCase();
      const value = trailer.slice(colon + 1).trim();
      if (name === "x-amz-trailer-signature") trailerSignature = value;
      else {
        this.trailers[name] = value;
        signed.push(`${name}:${value}\n`);
      }
    }
    if (this.signer && (signed.length > 0 || trailerSignature !== undefined)) this.signer.verifyTrailer(signed.join(""), trailerSignature);
    this.state = "done";
  }
}

function malformed(detail: string): AwsError {
  return new AwsError("IncompleteBody", `The aws-chunked request body is malformed: ${detail}.`, 400);
}
