import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import type { Checksum, SourceData } from "@smithy/types";

/** SHA-256 (or HMAC-SHA-256 when given a secret) on node:crypto, in the shape @smithy/signature-v4 expects. */
export class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  update(data: Uint8Array | string): void {
    this.hash.update(typeof data === "string" ? Buffer.from(data, "utf8") : data);
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash("sha256");
    const key = typeof this.secret === "string" ? Buffer.from(this.secret, "utf8") : Buffer.from(toBytes(this.secret));
    return createHmac("sha256", key);
  }
}

function toBytes(data: Exclude<SourceData, string>): Uint8Array {
  return ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
}
