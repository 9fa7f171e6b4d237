import { AwsError } from "../errors.ts";

/**
 * The deepest nesting of objects and arrays a JSON body may have. SageMaker's request shapes nest
 * about ten deep; far deeper documents would overflow the recursive walks they meet later
 * (`toJson`, `JSON.stringify` of the state). AWS documents no limit and answers a body it cannot
 * read with SerializationException (400), which is what this answers too.
 */
export const MAX_JSON_DEPTH = 100;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);

/** Refuses a JSON text nested deeper than `MAX_JSON_DEPTH`, in one pass without recursion (brackets inside strings do not count). */
export function checkJsonDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (OPENERS.has(c)) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new AwsError("SerializationException", `The request body nests objects and arrays more than ${MAX_JSON_DEPTH} deep.`);
      }
    } else if (CLOSERS.has(c)) {
      depth--;
    }
  }
}
