import { checksumHeader } from "./checksums.ts";
import type { ObjectRecord } from "./object-store.ts";

/** The headers GetObject and HeadObject answer with. */
export function objectHeaders(record: ObjectRecord, withChecksum: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": record.contentType,
    etag: record.etag,
    "last-modified": new Date(record.lastModified).toUTCString(),
    "accept-ranges": "bytes",
  };
  for (const [name, value] of Object.entries(record.metadata)) headers[`x-amz-meta-${name}`] = value;
  if (withChecksum && record.checksum) headers[checksumHeader(record.checksum.algorithm)] = record.checksum.value;
  return headers;
}

/** Parses `Range: bytes=a-b | a- | -n` against a size; undefined for none, "invalid" when unsatisfiable. */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | "invalid" | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return "invalid";
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  if (start >= size) return "invalid";
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  return end < start ? undefined : { start, end };
}
