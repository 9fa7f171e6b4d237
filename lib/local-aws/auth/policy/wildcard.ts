/**
 * A run of policy text. In a non-literal run `*` and `?` are wildcards; a literal run comes from a
 * substituted policy variable or a `${*}` / `${?}` / `${$}` escape and always matches itself.
 */
export interface PatternPiece {
  readonly text: string;
  readonly literal: boolean;
}

export interface MatchOptions {
  readonly ignoreCase: boolean;
  /** ARN matching: a wildcard in the partition, service, region or account segment stays inside that
   *  segment, while one in the resource segment (after the fifth colon) may span colons. */
  readonly arnSegments: boolean;
}

const ARN_RESOURCE_SEGMENT_COLONS = 5;
const MAX_CACHED_PATTERNS = 5000;
const compiledPatterns = new Map<string, RegExp>();

export function piecesOf(pattern: string): PatternPiece[] {
  return [{ text: pattern, literal: false }];
}

export function textOf(pieces: readonly PatternPiece[]): string {
  return pieces.length === 1 ? pieces[0]!.text : pieces.map((piece) => piece.text).join("");
}

export type Matcher = (value: string) => boolean;

/** A whole-string matcher for the wildcard pattern made of `pieces`, for patterns matched many times. */
export function compileMatcher(pieces: readonly PatternPiece[], options: MatchOptions): Matcher {
  if (!pieces.some(hasWildcard)) {
    const text = options.ignoreCase ? textOf(pieces).toLowerCase() : textOf(pieces);
    return options.ignoreCase ? (value) => value.toLowerCase() === text : (value) => value === text;
  }
  const regExp = compiledPattern(pieces, options);
  return (value) => regExp.test(value);
}

/** Whole-string match of `value` against the wildcard pattern made of `pieces`. */
export function matchesPattern(pieces: readonly PatternPiece[], value: string, options: MatchOptions): boolean {
  return compileMatcher(pieces, options)(value);
}

function hasWildcard(piece: PatternPiece): boolean {
  return !piece.literal && (piece.text.includes("*") || piece.text.includes("?"));
}

function compiledPattern(pieces: readonly PatternPiece[], options: MatchOptions): RegExp {
  const key = cacheKey(pieces, options);
  let regExp = compiledPatterns.get(key);
  if (!regExp) {
    if (compiledPatterns.size >= MAX_CACHED_PATTERNS) compiledPatterns.clear();
    regExp = new RegExp(regExpSource(pieces, options), options.ignoreCase ? "is" : "s");
    compiledPatterns.set(key, regExp);
  }
  return regExp;
}

function cacheKey(pieces: readonly PatternPiece[], options: MatchOptions): string {
  let key = (options.ignoreCase ? "i" : "c") + (options.arnSegments ? "a" : "g");
  for (const piece of pieces) key += `${piece.literal ? "L" : "P"}${piece.text.length}:${piece.text}`;
  return key;
}

function regExpSource(pieces: readonly PatternPiece[], options: MatchOptions): string {
  // A pattern without all six ARN segments (such as "*" or "arn:aws:s3:*") has no segment structure
  // to respect, so its wildcards may span colons.
  const segmentAware = options.arnSegments && colonCount(pieces) >= ARN_RESOURCE_SEGMENT_COLONS;
  let colons = 0;
  let source = "^";
  for (const piece of pieces) {
    for (const char of piece.text) {
      const spansColons = !segmentAware || colons >= ARN_RESOURCE_SEGMENT_COLONS;
      if (!piece.literal && char === "*") source += spansColons ? ".*" : "[^:]*";
      else if (!piece.literal && char === "?") source += spansColons ? "." : "[^:]";
      else {
        if (char === ":") colons++;
        source += escapeRegExp(char);
      }
    }
  }
  return source + "$";
}

function colonCount(pieces: readonly PatternPiece[]): number {
  let count = 0;
  for (const piece of pieces) for (const char of piece.text) if (char === ":") count++;
  return count;
}

function escapeRegExp(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}
