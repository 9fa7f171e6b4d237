import { createHash, randomBytes } from "node:crypto";
import { constants, createReadStream, createWriteStream, existsSync, fsyncSync, mkdirSync, openSync, closeSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { Transform, type Readable, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AwsError } from "../../errors.ts";
import type { Store } from "../../store/store.ts";
import { writeFileAtomic } from "../../store/atomic-file.ts";
import { checksummer, type ChecksumAlgorithm, type Checksummer } from "./checksums.ts";

export interface StoredChecksum {
  algorithm: ChecksumAlgorithm;
  /** base64; composite multipart checksums end in "-N". */
  value: string;
}

/** An object's metadata; its bytes live in a blob file of their own. */
export interface ObjectRecord {
  key: string;
  blob: string;
  size: number;
  /** Quoted, as S3 sends it. */
  etag: string;
  lastModified: string;
  contentType: string;
  metadata: Record<string, string>;
  checksum?: StoredChecksum;
}

export interface PartRecord {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
  md5: string;
  checksum?: StoredChecksum;
}

export interface UploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: string;
  contentType: string;
  metadata: Record<string, string>;
  checksumAlgorithm?: ChecksumAlgorithm;
  parts: Record<string, PartRecord>;
}

/** What streaming a body to disk measured. */
export interface WrittenBlob {
  blob: string;
  size: number;
  md5: Buffer;
  checksums: Map<ChecksumAlgorithm, Buffer>;
}

/**
 * Object bodies as files under `<dataDir>/<bucket>/blobs`, metadata one JSON file per key under
 * `objects/`, multipart uploads under `uploads/<id>/`. A body becomes visible only once fully
 * written, synced and its metadata renamed into place: a crash or a failed upload never leaves a
 * half-written object behind.
 *
 * Names read back from the state dir (buckets, blobs, upload ids) are checked before they become
 * paths, and blobs are opened without following symbolic links, so a record edited or planted in
 * the state dir cannot make the server serve or delete a file outside it.
 */
export class ObjectStore {
  private readonly indexes = new Map<string, Map<string, ObjectRecord>>();

  constructor(private readonly root: string) {}

  objects(bucket: string): Map<string, ObjectRecord> {
    let index = this.indexes.get(bucket);
    if (!index) {
      index = new Map();
      const dir = this.dir(bucket, "objects");
      if (existsSync(dir)) {
        for (const file of readdirSync(dir)) {
          if (file.endsWith(".json")) {
            const record = JSON.parse(readFileSync(join(dir, file), "utf8")) as ObjectRecord;
            index.set(record.key, record);
          } else if (file.endsWith(".tmp")) unlinkSync(join(dir, file));
        }
      }
      this.removeUnfinishedBlobs(bucket);
      this.indexes.set(bucket, index);
    }
    return index;
  }

  get(bucket: string, key: string): ObjectRecord | undefined {
    return this.objects(bucket).get(key);
  }

  /** Streams `source` into a new blob of `bucket`, measuring its MD5 and the asked checksums. */
  async writeBlob(bucket: string, source: Readable, algorithms: readonly ChecksumAlgorithm[], maxBytes: number): Promise<WrittenBlob> {
    const blobsDir = this.dir(bucket, "blobs");
    mkdirSync(blobsDir, { recursive: true, mode: 0o700 });
    const blob = randomBytes(16).toString("hex");
    const temp = join(blobsDir, `${blob}.tmp`);
    const meter = new Meter(algorithms, maxBytes);
    try {
      await pipeline(source, meter, createWriteStream(temp, { mode: 0o600 }));
      syncFile(temp);
      renameSync(temp, join(blobsDir, blob));
    } catch (error) {
      rmSync(temp, { force: true });
      throw error;
    }
    return { blob, size: meter.size, md5: meter.md5.digest(), checksums: new Map([...meter.checksums].map(([a, c]) => [a, c.digest()])) };
  }

  /** Makes `record` the object at its key, replacing (and deleting the blob of) any earlier one. */
  commit(bucket: string, record: ObjectRecord): void {
    const previous = this.get(bucket, record.key);
    const replaced = previous && previous.blob !== record.blob ? this.blobFile(bucket, previous) : undefined;
    writeFileAtomic(this.metaFile(bucket, record.key), JSON.stringify(record));
    this.objects(bucket).set(record.key, record);
    if (replaced) rmSync(replaced, { force: true });
  }

  delete(bucket: string, key: string): boolean {
    const record = this.get(bucket, key);
    if (!record) return false;
    const blob = this.blobFile(bucket, record);
    rmSync(this.metaFile(bucket, key), { force: true });
    this.objects(bucket).delete(key);
    rmSync(blob, { force: true });
    return true;
  }

  read(bucket: string, record: ObjectRecord, range?: { start: number; end: number }): Readable {
    const file = this.blobFile(bucket, record);
    return createReadStream(file, { ...range, fd: openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW) });
  }

  /** Copies a blob (possibly from another bucket) into `bucket`. */
  async copyBlob(fromBucket: string, record: ObjectRecord, toBucket: string): Promise<string> {
    const written = await this.writeBlob(toBucket, this.read(fromBucket, record), [], Number.POSITIVE_INFINITY);
    return written.blob;
  }

  /** Removes everything the bucket held on disk. */
  dropBucket(bucket: string): void {
    rmSync(join(this.root, bucketDirName(bucket)), { recursive: true, force: true });
    this.indexes.delete(bucket);
  }

  createUpload(upload: UploadRecord): void {
    this.saveUpload(upload);
  }

  upload(bucket: string, uploadId: string): UploadRecord | undefined {
    if (!UPLOAD_ID.test(uploadId)) return undefined;
    const file = join(this.uploadDir(bucket, uploadId), "upload.json");
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as UploadRecord) : undefined;
  }

  uploads(bucket: string): UploadRecord[] {
    const dir = this.dir(bucket, "uploads");
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((id) => this.upload(bucket, id))
      .filter((upload): upload is UploadRecord => upload !== undefined);
  }

  /** Moves a written blob into the upload as part `partNumber`, replacing any earlier part with that number. */
  adoptPart(upload: UploadRecord, partNumber: number, blob: string): void {
    const partFile = join(this.uploadDir(upload.bucket, upload.uploadId), `part-${partNumber}`);
    renameSync(join(this.dir(upload.bucket, "blobs"), blob), partFile);
  }

  saveUpload(upload: UploadRecord): void {
    const dir = this.uploadDir(upload.bucket, upload.uploadId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileAtomic(join(dir, "upload.json"), JSON.stringify(upload));
  }

  /** Concatenates the chosen parts, in order, into a new blob. */
  async assemble(upload: UploadRecord, partNumbers: readonly number[]): Promise<{ blob: string; size: number }> {
    const dir = this.uploadDir(upload.bucket, upload.uploadId);
    const blobsDir = this.dir(upload.bucket, "blobs");
    mkdirSync(blobsDir, { recursive: true, mode: 0o700 });
    const blob = randomBytes(16).toString("hex");
    const temp = join(blobsDir, `${blob}.tmp`);
    const out = createWriteStream(temp, { mode: 0o600 });
    let size = 0;
    try {
      for (const partNumber of partNumbers) {
        for await (const chunk of createReadStream(join(dir, `part-${partNumber}`))) {
          size += (chunk as Buffer).length;
          if (!out.write(chunk)) await new Promise<void>((drained) => out.once("drain", () => drained()));
        }
      }
      await new Promise<void>((done, fail) => out.end((error?: Error | null) => (error ? fail(error) : done())));
      syncFile(temp);
      renameSync(temp, join(blobsDir, blob));
    } catch (error) {
      out.destroy();
      rmSync(temp, { force: true });
      throw error;
    }
    return { blob, size };
  }

  dropUpload(bucket: string, uploadId: string): void {
    rmSync(this.uploadDir(bucket, uploadId), { recursive: true, force: true });
  }

  /** Deletes a blob no object refers to any more (replaced, deleted, or a body that failed its checks). */
  discardBlob(bucket: string, blob: string): void {
    rmSync(this.blobFile(bucket, { key: "(not yet stored)", blob }), { force: true });
  }

  /** The blob file a record names, refusing a name this store never gives (a record edited or planted in the state dir). */
  private blobFile(bucket: string, record: Pick<ObjectRecord, "key" | "blob">): string {
    if (!BLOB_NAME.test(record.blob)) {
      throw new Error(`the record of s3://${bucket}/${record.key} in ${this.root} names the blob ${JSON.stringify(record.blob)}, which is not a blob of this store: refusing to use it (was the state dir edited?)`);
    }
    return join(this.dir(bucket, "blobs"), record.blob);
  }

  private removeUnfinishedBlobs(bucket: string): void {
    const dir = this.dir(bucket, "blobs");
    if (!existsSync(dir)) return;
    for (const file of readdirSync(dir)) if (file.endsWith(".tmp")) unlinkSync(join(dir, file));
  }

  private metaFile(bucket: string, key: string): string {
    return join(this.dir(bucket, "objects"), `${createHash("sha256").update(key).digest("hex")}.json`);
  }

  private uploadDir(bucket: string, uploadId: string): string {
    if (!UPLOAD_ID.test(uploadId)) throw new Error(`${JSON.stringify(uploadId)} in ${this.root} is not an upload id of this store: refusing to use it (was the state dir edited?)`);
    return join(this.dir(bucket, "uploads"), uploadId);
  }

  private dir(bucket: string, kind: "objects" | "blobs" | "uploads"): string {
    return join(this.root, bucketDirName(bucket), kind);
  }
}

const BLOB_NAME = /^[0-9a-f]{32}$/;
const UPLOAD_ID = /^[0-9a-f]{32}$/;

/** A bucket's directory name: the bucket name, which must stay one path segment under the S3 data dir. */
function bucketDirName(bucket: string): string {
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(bucket) || bucket.includes("..")) throw new Error(`${JSON.stringify(bucket)} is not a bucket name: refusing to use it as a directory`);
  return bucket;
}

const stores = new WeakMap<Store, ObjectStore>();

export function objectStore(store: Store): ObjectStore {
  let objects = stores.get(store);
  if (!objects) {
    objects = new ObjectStore(store.dataDir("s3"));
    stores.set(store, objects);
  }
  return objects;
}

function syncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Counts, hashes and bounds the bytes passing through. */
class Meter extends Transform {
  size = 0;
  readonly md5 = createHash("md5");
  readonly checksums: Map<ChecksumAlgorithm, Checksummer>;

  constructor(algorithms: readonly ChecksumAlgorithm[], private readonly maxBytes: number) {
    super();
    this.checksums = new Map(algorithms.map((algorithm) => [algorithm, checksummer(algorithm)]));
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      done(new AwsError("EntityTooLarge", `Your proposed upload exceeds the maximum allowed size of ${this.maxBytes} bytes.`, 400));
      return;
    }
    this.md5.update(chunk);
    for (const sum of this.checksums.values()) sum.update(chunk);
    done(null, chunk);
  }
}
