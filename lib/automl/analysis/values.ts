/** How a single text field reads: missing, a number, a yes/no flag. */

const MISSING_TOKENS = new Set(["", "na", "n/a", "nan", "null", "none", "?"]);

export function isMissing(field: string): boolean {
  return MISSING_TOKENS.has(field.trim().toLowerCase());
}

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The field's number, or NaN when it is missing or not a plain decimal number. */
export function parseNumber(field: string): number {
  const trimmed = field.trim();
  return NUMBER_PATTERN.test(trimmed) ? Number(trimmed) : Number.NaN;
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
