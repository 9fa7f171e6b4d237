/**
 * Typed arrays as base64 of their bytes (little-endian, as on every platform Node runs on):
 * exact for every value, Infinity included, and about half the size of decimal JSON.
 */
export function toBase64(array: Float64Array | Int32Array | Uint8Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString("base64");
}

export interface TypedArrayType<T> {
  new (buffer: ArrayBuffer): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** The array encoded by `toBase64`, or undefined when the text cannot be one. */
export function fromBase64<T>(text: string, type: TypedArrayType<T>): T | undefined {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length % type.BYTES_PER_ELEMENT !== 0) return undefined;
  // Copied into a fresh buffer: Buffer's pooled memory may not be aligned for the element type.
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  return new type(aligned.buffer);
}
