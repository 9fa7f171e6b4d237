import { createHash, type Hash } from "node:crypto";
import { crc32 } from "node:zlib";

/** The checksum algorithms S3 accepts for x-amz-checksum-*. */
export type ChecksumAlgorithm = "CRC32" | "CRC32C" | "SHA1" | "SHA256";
export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ["CRC32", "CRC32C", "SHA1", "SHA256"];

export const checksumHeader = (algorithm: ChecksumAlgorithm) => `x-amz-checksum-${algorithm.toLowerCase()}`;

/** An incremental checksum whose digest is the big-endian bytes S3 base64-encodes. */
export interface Checksummer {
  update(data: Buffer): void;
  digest(): Buffer;
}

export function checksummer(algorithm: ChecksumAlgorithm): Checksummer {
  switch (algorithm) {
    case "CRC32":
      return crcChecksummer((data, value) => crc32(data, value));
    case "CRC32C":
      return crcChecksummer(crc32c);
    case "SHA1":
      return hashChecksummer(createHash("sha1"));
    case "SHA256":
      return hashChecksummer(createHash("sha256"));
  }
}

function crcChecksummer(step: (data: Buffer, value: number) => number): Checksummer {
  let value = 0;
  return {
    update: (data) => void (value = step(data, value)),
    digest: () => {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(value >>> 0);
      return bytes;
    },
  };
}

function hashChecksummer(hash: Hash): Checksummer {
  return { update: (data) => void hash.update(data), digest: () => hash.digest() };
}

const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C (Castagnoli), continuing from `value` like zlib's crc32. */
export function crc32c(data: Buffer, value = 0): number {
  let crc = ~value >>> 0;
  for (let i = 0; i < data.length; i++) crc = CRC32C_TABLE[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}
