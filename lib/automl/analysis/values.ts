/** How a single text field reads: missing, a number, a yes/no flag. */

const MISSING_TOKENS = new Set(["", "na", "n/a", "nan", "null", "none", "?"]);

export function isMissing(field: string): boolean {
  return MISSING_TOKENS.has(field.trim().toLowerCase());
}

/**
 * The field's number, or NaN when it is missing or not a plain decimal number (surrounding
 * spaces allowed). `Number()` reads decimals fast but also blank text (as 0), "Infinity" and
 * 0x/0o/0b integers; those are turned away here.
 */
export function parseNumber(field: string): number {
  const value = Number(field);
  if (!Number.isFinite(value)) return Number.NaN;
  // A leading digit 1-9 (most fields) rules out blank text and a 0x/0o/0b prefix.
  const first = field.charCodeAt(0);
  if (first >= 0x31 && first <= 0x39) return value;
  if (value === 0 && field.trim() === "") return Number.NaN;
  const start = field.length - field.trimStart().length;
  const radix = field.charCodeAt(start + 1) | 0x20; // lower-cased letter after a leading 0
  if (field.charCodeAt(start) === 0x30 && (radix === 0x78 || radix === 0x6f || radix === 0x62)) return Number.NaN;
  return value;
}

const TRUE_TOKENS = new Set(["yes", "true", "y", "t"]);
const FALSE_TOKENS = new Set(["no", "false", "n", "f"]);

/** 1 for yes/true, 0 for no/false (any case, a trailing full stop allowed as in `True.`), else NaN. */
export function parseBoolean(field: string): number {
  const token = field.trim().toLowerCase().replace(/\.$/, "");
  if (TRUE_TOKENS.has(token)) return 1;
  if (FALSE_TOKENS.has(token)) return 0;
  return Number.NaN;
}
