/**
 * The JSONPath subset batch transform's DataProcessing filters take (AWS developer guide,
 * "Associate Prediction Results with Input Records", Supported JSONPath Operators:
 * https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html#data-processing-operators):
 * `$`, `.name`, `*`, `['name'(,'name')]`, `[n(,n)]` with negative indexes from the end, and
 * `[start:end]` slices. A CSV row is a JSON array, so only index-based paths apply to it.
 *
 * Slices include their end: the page's examples say `$[1:4]` is the second through fifth columns
 * and `[:5]` the first through sixth (its operator table compares slices to Array.slice(), which
 * excludes the end; the examples are the precise statement, so they are what this follows).
 * A bracket holds at most one slice: AWS fails `$[0:2,246:]` with "only single range filters of
 * format (eg: [1:5]) are supported" (aws/sagemaker-python-sdk#1112), while `$[0,5:]` is one of
 * the API reference's OutputFilter examples.
 */

/** A path AWS would refuse, or a record it cannot select from; the message is AWS's where known. */
export class JsonPathError extends Error {
  override name = "JsonPathError";
}

/**
 * What CreateTransformJob checks before a job runs: letters, digits and these operators (the
 * ValidationException AWS answers for `$['account_id','SageMakerOutput']`, aws/aws-sdk#184:
 * `Unexpected "_" in JsonPath. Supported operators for "application/jsonlines" are [...]`).
 */
const OPERATORS = ["$", "[", "]", "*", ".", " ", ",", ":", "-", "'"] as const;

/** The first character of `expression` CreateTransformJob refuses, if any. */
export function unexpectedCharacter(expression: string): string | undefined {
  return [...expression].find((char) => !/[A-Za-z0-9]/.test(char) && !(OPERATORS as readonly string[]).includes(char));
}

/** AWS's wording for a refused character, `field` being InputFilter or OutputFilter. */
export function unexpectedCharacterMessage(field: string, expression: string, char: string, mediaType: string): string {
  const operators = OPERATORS.map((operator) => `'${operator}'`).join(", ");
  return `Invalid ${field}: "${expression}". Unexpected "${char}" in JsonPath. Supported operators for "${mediaType}" are [${operators}].`;
}

interface Slice {
  start?: number;
  end?: number;
}
type Segment = { kind: "names"; names: string[] } | { kind: "wildcard" } | { kind: "indexes"; items: (number | Slice)[] };

export interface JsonPath {
  expression: string;
  segments: Segment[];
}

const invalid = (expression: string, reason: string) => new JsonPathError(`Invalid JsonPath: ${expression}: ${reason}`);

/** Parses a filter; throws JsonPathError naming what AWS does not support. */
export function parseJsonPath(expression: string): JsonPath {
  const text = expression.trim();
  if (!text.startsWith("$")) throw invalid(expression, "a path starts at the root, $");
  const segments: Segment[] = [];
  let position = 1;
  while (position < text.length) {
    const char = text[position]!;
    if (char === ".") {
      position++;
      if (text[position] === "[") continue;
      if (text[position] === "*") {
        segments.push({ kind: "wildcard" });
        position++;
        continue;
      }
      const name = /^[A-Za-z0-9-]+/.exec(text.slice(position))?.[0];
      if (!name) throw invalid(expression, `a name is expected after the "." at ${position}`);
      segments.push({ kind: "names", names: [name] });
      position += name.length;
    } else if (char === "[") {
      const close = text.indexOf("]", position);
      if (close < 0) throw invalid(expression, `the "[" at ${position} is never closed`);
      segments.push(bracket(expression, text.slice(position + 1, close).trim()));
      position = close + 1;
    } else {
      throw invalid(expression, `unexpected "${char}" at ${position}`);
    }
  }
  return { expression, segments };
}

function bracket(expression: string, inner: string): Segment {
  if (inner === "*") return { kind: "wildcard" };
  const parts = inner.split(",").map((part) => part.trim());
  if (parts.every((part) => /^'[^']*'$/.test(part))) return { kind: "names", names: parts.map((part) => part.slice(1, -1)) };
  if (parts.filter((part) => part.includes(":")).length > 1) {
    throw invalid(expression, `only single range filters of format (eg: [1:5]) are supported. Format [${inner}] is not supported`);
  }
  const items = parts.map((part): number | Slice => {
    const slice = /^(-?\d+)?\s*:\s*(-?\d+)?$/.exec(part);
    if (slice) return { ...(slice[1] !== undefined ? { start: Number(slice[1]) } : {}), ...(slice[2] !== undefined ? { end: Number(slice[2]) } : {}) };
    if (/^-?\d+$/.test(part)) return Number(part);
    throw invalid(expression, `[${inner}] is neither indexes, one start:end range, quoted names nor *`);
  });
  return { kind: "indexes", items };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Selects from a record the way JsonPath (github.com/json-path/JsonPath, which AWS's page points
 * to) answers: one name or one index gives the value itself; several names an object of them;
 * several indexes, a slice or `*` a list, and the segments after it apply to each element.
 * An index outside the record is an error ("If you specify indexes that aren't within the
 * dimension size of the joined dataset, you get an error", DataProcessing.OutputFilter).
 */
export function selectJsonPath(path: JsonPath, record: unknown): unknown {
  let values = [record];
  let single = true;
  for (const segment of path.segments) {
    values = values.flatMap((value) => select(path.expression, segment, value, single));
    single &&= segment.kind === "names" || (segment.kind === "indexes" && segment.items.length === 1 && typeof segment.items[0] === "number");
  }
  return single ? values[0] : values;
}

/** One segment applied to one value: the values it selects (none where a list skips what it lacks). */
function select(expression: string, segment: Segment, value: unknown, single: boolean): unknown[] {
  if (segment.kind === "wildcard") {
    if (Array.isArray(value)) return value;
    if (isObject(value)) return Object.values(value);
    return [];
  }
  if (segment.kind === "names") {
    if (!isObject(value)) {
      if (single) throw new JsonPathError(`${expression}: ${describe(value)} has no attribute ${segment.names.join(", ")}`);
      return [];
    }
    if (segment.names.length === 1) {
      const name = segment.names[0]!;
      if (!(name in value)) {
        if (single) throw new JsonPathError(`${expression}: the record has no attribute ${name}`);
        return [];
      }
      return [value[name]];
    }
    return [Object.fromEntries(segment.names.filter((name) => name in value).map((name) => [name, value[name]]))];
  }
  if (!Array.isArray(value)) {
    if (single) throw new JsonPathError(`${expression}: ${describe(value)} is not an array, so it has no indexes`);
    return [];
  }
  return segment.items.flatMap((item) => (typeof item === "number" ? [value[arrayIndex(expression, item, value.length)]] : sliceOf(value, item)));
}

function arrayIndex(expression: string, index: number, length: number): number {
  const position = index < 0 ? length + index : index;
  if (position < 0 || position >= length) throw new JsonPathError(`${expression}: index ${index} is outside the record's ${length} elements`);
  return position;
}

/** Both ends included; ends beyond the record are cut to it. */
function sliceOf(value: unknown[], slice: Slice): unknown[] {
  const resolve = (index: number) => (index < 0 ? value.length + index : index);
  const start = Math.max(0, resolve(slice.start ?? 0));
  const end = Math.min(value.length - 1, resolve(slice.end ?? value.length - 1));
  return value.slice(start, end + 1);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  return value === null ? "null" : `a ${typeof value}`;
}
