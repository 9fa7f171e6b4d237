import { once } from "node:events";
import { PassThrough, type Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { AwsError } from "../../errors.ts";
import type { Store } from "../../store/store.ts";
import { objectStore, type ObjectRecord } from "../s3/object-store.ts";
import { objectAs, objectsUnder, parseS3Uri, readWhole, writeObjectStreamAs, type Actor } from "../s3/service-access.ts";
import type { TransformJobRecord } from "./transform-state.ts";

/** An object a transform job reads, and the name its output takes under S3OutputPath. */
export interface InputObject {
  uri: string;
  bucket: string;
  object: ObjectRecord;
  /** The key relative to the prefix (or the manifest's prefix): `<name>.out` is its output. */
  name: string;
}

const clientError = (code: string, message: string) => new AwsError(code, message, 400);

/**
 * Every object under an S3Prefix (its name relative to the prefix's last "/"), or every object a
 * ManifestFile lists: a JSON list of {"prefix": "s3://bucket/prefix/"} and keys relative to it
 * (API reference, TransformS3DataSource). The role must be able to list and read them.
 */
export async function inputObjects(store: Store, actor: Actor, source: TransformJobRecord["TransformInput"]["DataSource"]["S3DataSource"]): Promise<InputObject[]> {
  if (source.S3DataType === "ManifestFile") return manifestObjects(store, actor, source.S3Uri);
  const { bucket, objects } = objectsUnder(store, actor, source.S3Uri);
  if (objects.length === 0) throw clientError("NoInputData", `No objects were found under ${source.S3Uri}.`);
  const prefix = parseS3Uri(source.S3Uri).key;
  const base = prefix.slice(0, prefix.lastIndexOf("/") + 1);
  return objects.map((object) => ({ uri: `s3://${bucket}/${object.key}`, bucket, object, name: object.key.slice(base.length) }));
}

async function manifestObjects(store: Store, actor: Actor, manifestUri: string): Promise<InputObject[]> {
  const { bucket, object } = objectAs(store, actor, manifestUri);
  let entries: unknown;
  try {
    entries = JSON.parse((await readWhole(store, bucket, object)).toString("utf8"));
  } catch {
    throw clientError("InvalidManifest", `The manifest ${manifestUri} is not JSON.`);
  }
  const [head, ...names] = Array.isArray(entries) ? entries : [];
  const prefix = (head as { prefix?: unknown } | undefined)?.prefix;
  if (typeof prefix !== "string" || !prefix.startsWith("s3://") || names.length === 0 || names.some((name) => typeof name !== "string" || name === "")) {
    throw clientError("InvalidManifest", `The manifest ${manifestUri} must be a JSON list of {"prefix": "s3://bucket/prefix/"} followed by at least one key relative to that prefix.`);
  }
  return (names as string[]).map((name) => {
    const uri = `${prefix}${name}`;
    return { uri, ...objectAs(store, actor, uri), name };
  });
}

export const outputUri = (outputPath: string, input: InputObject) => `${outputPath.replace(/\/+$/, "")}/${input.name}.out`;

/** An input object's bytes, decompressed when CompressionType is Gzip. */
export function inputStream(store: Store, input: InputObject, compression: "None" | "Gzip"): Readable {
  const raw = objectStore(store).read(input.bucket, input.object);
  if (compression === "None") return raw;
  const gunzip = createGunzip();
  raw.on("error", (error) => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

/** Whole lines of an object, at most `batchBytes` at a time, with the object's line number of the first. */
export interface LineBatch {
  bytes: Buffer;
  firstLine: number;
  lines: number;
}

/** A record larger than MaxPayloadInMB, or an object that cannot be split and is. */
export class PayloadTooLarge extends Error {
  constructor(
    /** The record's line, for SplitType Line. */
    readonly line: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

const LF = 0x0a;
export const MB = 1024 * 1024;

function countLines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(LF); at >= 0; at = bytes.indexOf(LF, at + 1)) count++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== LF ? count + 1 : count;
}

/**
 * Cuts a stream into mini-batches of whole lines without holding more than one batch (plus a
 * chunk): SplitType Line packs as many lines as fit in `limitBytes`, and a line longer than that
 * fails; SplitType None sends the object whole, which must fit ("Exceeding the MaxPayloadInMB
 * limit causes an error", AWS developer guide, Batch Transform Errors). `limitBytes` Infinity is
 * MaxPayloadInMB 0: no limit, lines packed `fallbackBytes` at a time.
 */
export async function* lineBatches(source: AsyncIterable<Buffer>, splitType: "None" | "Line", limitBytes: number, fallbackBytes: number): AsyncGenerator<LineBatch> {
  const batchBytes = Number.isFinite(limitBytes) ? limitBytes : fallbackBytes;
  let chunks: Buffer[] = [];
  let pending = 0;
  let nextLine = 1;
  const take = (bytes: Buffer): LineBatch => {
    const batch = { bytes, firstLine: nextLine, lines: countLines(bytes) };
    nextLine += batch.lines;
    return batch;
  };
  for await (const chunk of source) {
    chunks.push(chunk);
    pending += chunk.length;
    if (splitType === "None") {
      if (pending > limitBytes) throw new PayloadTooLarge(undefined, `the object is larger than MaxPayloadInMB (${limitBytes / MB} MB), and SplitType None sends it whole; use SplitType Line or a larger MaxPayloadInMB.`);
      continue;
    }
    while (pending > batchBytes) {
      const buffered = Buffer.concat(chunks, pending);
      const lastEnd = buffered.lastIndexOf(LF, batchBytes - 1);
      let cut = lastEnd + 1;
      if (lastEnd < 0) {
        if (Number.isFinite(limitBytes)) throw new PayloadTooLarge(nextLine, `the record is larger than MaxPayloadInMB (${limitBytes / MB} MB); raise MaxPayloadInMB to at least its size.`);
        const end = buffered.indexOf(LF, batchBytes);
        if (end < 0) {
          chunks = [buffered];
          break;
        }
        cut = end + 1;
      }
      yield take(buffered.subarray(0, cut));
      chunks = [buffered.subarray(cut)];
      pending = buffered.length - cut;
    }
  }
  if (pending > 0) yield take(Buffer.concat(chunks, pending));
}


/**
 * An object being written: bytes go straight to the store as they come (no more than a write's
 * worth held), and it appears only on `commit`; `abort` leaves no object (as AWS removes the
 * multipart upload of an input file that failed, Batch Transform Errors).
 */
export class OutputObject {
  private readonly body = new PassThrough();
  private readonly written: Promise<void>;

  /** Throws at once (AccessDenied, NoSuchBucket) when the actor may not write `uri`. */
  constructor(store: Store, actor: Actor, uri: string, contentType: string, now: () => Date) {
    this.written = writeObjectStreamAs(store, actor, uri, this.body, contentType, now);
    // Until commit or abort awaits it, a failure surfaces through write's race.
    this.written.catch(() => undefined);
  }

  async write(bytes: Buffer): Promise<void> {
    if (this.body.write(bytes)) return;
    await Promise.race([once(this.body, "drain"), this.written]);
  }

  async commit(): Promise<void> {
    this.body.end();
    await this.written;
  }

  async abort(): Promise<void> {
    this.body.destroy(new Error("the transform of this object did not complete"));
    await this.written.catch(() => undefined);
  }
}
