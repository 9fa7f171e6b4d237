import { Readable } from "node:stream";
import { AwsError } from "../../errors.ts";
import { CHECKSUM_ALGORITHMS, checksumHeader, type ChecksumAlgorithm } from "./checksums.ts";
import type { ObjectStore, StoredChecksum, WrittenBlob } from "./object-store.ts";
import { header, type S3Request } from "./request.ts";

export const MAX_SINGLE_UPLOAD_BYTES = 5 * 1024 ** 3;

interface DeclaredChecksum {
  algorithm: ChecksumAlgorithm;
  /** From a header; undefined when it comes in the aws-chunked trailer or is only asked for. */
  value?: string;
}

/** Which checksum the client sent or asked for: an x-amz-checksum-* header, a trailer, or x-amz-sdk-checksum-algorithm. */
function declaredChecksum(request: S3Request): DeclaredChecksum | undefined {
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = header(request, checksumHeader(algorithm));
    if (value !== undefined) return { algorithm, value };
  }
  const trailer = header(request, "x-amz-trailer")?.toLowerCase();
  const named = CHECKSUM_ALGORITHMS.find((algorithm) => checksumHeader(algorithm) === trailer);
  if (named) return { algorithm: named };
  const asked = header(request, "x-amz-sdk-checksum-algorithm")?.toUpperCase();
  if (asked === undefined) return undefined;
  const algorithm = CHECKSUM_ALGORITHMS.find((candidate) => candidate === asked);
  if (!algorithm) throw new AwsError("InvalidRequest", `Checksum algorithm ${asked} is not supported; use one of ${CHECKSUM_ALGORITHMS.join(", ")}.`, 400);
  return { algorithm };
}

/**
 * Streams the request body into a blob of `bucket` and checks it against Content-MD5 and the
 * declared checksum; a body that fails a check is deleted before anyone can see it.
 */
export async function receiveBody(
  objects: ObjectStore,
  bucket: string,
  request: S3Request,
  maxBytes: number,
): Promise<{ written: WrittenBlob; checksum?: StoredChecksum }> {
  const declared = declaredChecksum(request);
  const written = await objects.writeBlob(bucket, request.body ?? Readable.from([]), declared ? [declared.algorithm] : [], maxBytes);
  const discard = () => objects.discardBlob(bucket, written.blob);
  try {
    const contentMd5 = header(request, "content-md5");
    if (contentMd5 !== undefined && contentMd5 !== written.md5.toString("base64")) {
      throw new AwsError("BadDigest", "The Content-MD5 you specified did not match what we received.", 400);
    }
    if (!declared) return { written };
    const computed = written.checksums.get(declared.algorithm)!.toString("base64");
    const claimed = declared.value ?? request.trailers[checksumHeader(declared.algorithm)];
    if (claimed !== undefined && claimed !== computed) {
      throw new AwsError("BadDigest", `The ${declared.algorithm} you specified did not match the calculated checksum.`, 400);
    }
    return { written, checksum: { algorithm: declared.algorithm, value: computed } };
  } catch (error) {
    discard();
    throw error;
  }
}
