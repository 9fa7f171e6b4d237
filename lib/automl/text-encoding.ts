import { AutoMLInputError } from "./errors.ts";

/** How a file's bytes were read as text. */
export type TextEncoding = "UTF-8" | "UTF-8 with BOM" | "UTF-16LE" | "UTF-16BE" | "Windows-1252";

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

/**
 * Reads a text file's bytes. A byte-order mark says UTF-8 or UTF-16; otherwise valid UTF-8 is
 * UTF-8, and other text without NUL bytes is taken for Windows-1252 (the superset of Latin-1 that
 * Excel and Windows tools write in Western Europe and the Americas), refused when it holds the
 * five bytes Windows-1252 leaves undefined. `utf8Only` refuses everything but UTF-8, naming the
 * encoding the file most likely has.
 */
export function decodeText(bytes: Uint8Array, what: string, { utf8Only = false }: { utf8Only?: boolean } = {}): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: utf8(bytes.subarray(3), what), encoding: "UTF-8 with BOM" };
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? "UTF-16LE" : bytes[0] === 0xfe && bytes[1] === 0xff ? "UTF-16BE" : undefined;
  if (utf16) {
    if (utf8Only) throw new AutoMLInputError(`${what} is ${utf16} text (it starts with a ${utf16} byte-order mark), not UTF-8. Save it as UTF-8.`);
    return { text: new TextDecoder(utf16.toLowerCase()).decode(bytes.subarray(2)), encoding: utf16 };
  }
  const invalid = firstInvalidUtf8(bytes);
  if (invalid < 0) return { text: new TextDecoder("utf-8").decode(bytes), encoding: "UTF-8" };
  const where = `line ${lineAt(bytes, invalid)} holds byte 0x${bytes[invalid]!.toString(16).toUpperCase().padStart(2, "0")}`;
  if (bytes.includes(0)) throw new AutoMLInputError(`${what} is not UTF-8 text (${where}, and it holds NUL bytes: UTF-16 without a byte-order mark, or not text). Save it as UTF-8.`);
  if (WINDOWS_1252_UNDEFINED.some((byte) => bytes.includes(byte))) {
    throw new AutoMLInputError(`${what} is neither UTF-8 nor Windows-1252 (Latin-1) text (${where}). Save it as UTF-8.`);
  }
  if (utf8Only) throw new AutoMLInputError(`${what} is not UTF-8: ${where}; it looks like Windows-1252 (Latin-1) text. Save it as UTF-8.`);
  return { text: windows1252(bytes), encoding: "Windows-1252" };
}

/** The bytes Windows-1252 assigns no character. */
const WINDOWS_1252_UNDEFINED = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

/**
 * Windows-1252's characters for bytes 0x80-0x9F (0 where undefined); every other byte is the
 * Latin-1 code point of the same value. Node 20's TextDecoder("windows-1252") decodes 0x80-0x9F
 * as Latin-1 control characters instead, so the table is here.
 */
const WINDOWS_1252_HIGH = [
  0x20ac, 0, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0, 0x17d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0, 0x17e, 0x178,
];

function windows1252(bytes: Uint8Array): string {
  const codes = Uint16Array.from(bytes, (byte) => (byte >= 0x80 && byte < 0xa0 ? WINDOWS_1252_HIGH[byte - 0x80]! : byte));
  let text = "";
  for (let i = 0; i < codes.length; i += 0x8000) text += String.fromCharCode(...codes.subarray(i, i + 0x8000));
  return text;
}

function utf8(bytes: Uint8Array, what: string): string {
  const invalid = firstInvalidUtf8(bytes);
  if (invalid >= 0) throw new AutoMLInputError(`${what} starts with a UTF-8 byte-order mark but line ${lineAt(bytes, invalid)} is not UTF-8. Save it as UTF-8.`);
  return new TextDecoder("utf-8").decode(bytes);
}

/** The offset of the first byte that does not begin or continue a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i++;
      continue;
    }
    // Lead bytes and the range of the first continuation byte (RFC 3629's table of well-formed sequences).
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    if (i + length > bytes.length) return i;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) {
      const next = bytes[i + k]!;
      if (next < 0x80 || next > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < offset; i = bytes.indexOf(10, i + 1)) line++;
  return line;
}
