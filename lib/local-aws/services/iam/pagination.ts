/** IAM's Marker/MaxItems pagination. Markers are opaque to clients; here they encode where the next page starts. */
import { validationError } from "../../errors.ts";
import type { OperationInput } from "../../service.ts";
import { optionalInteger } from "../input.ts";
import { optionalText } from "./validation.ts";

const DEFAULT_MAX_ITEMS = 100;
const MARKER_PREFIX = "lam1:";

interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

function startOf(input: OperationInput): number {
  const marker = optionalText(input, "Marker", { max: 320, pattern: "[\\u0020-\\u00FF]+" });
  if (marker === undefined) return 0;
  const decoded = Buffer.from(marker, "base64url").toString("utf8");
  const start = Number(decoded.slice(MARKER_PREFIX.length));
  if (!decoded.startsWith(MARKER_PREFIX) || !Number.isSafeInteger(start) || start < 0) throw validationError("Invalid Marker.");
  return start;
}

export function paginate<T>(items: readonly T[], input: OperationInput): Page<T> {
  const maxItems = optionalInteger(input, "MaxItems", 1, 1000) ?? DEFAULT_MAX_ITEMS;
  const start = startOf(input);
  const end = start + maxItems;
  const isTruncated = end < items.length;
  return {
    items: items.slice(start, end),
    IsTruncated: isTruncated,
    ...(isTruncated ? { Marker: Buffer.from(`${MARKER_PREFIX}${end}`).toString("base64url") } : {}),
  };
}

/** `{ [key]: a page of items, viewed; IsTruncated; Marker }`: the shape of IAM's List* results. */
export function listResult<T>(key: string, items: readonly T[], input: OperationInput, view: (item: T) => unknown) {
  const { items: page, ...more } = paginate(items, input);
  return { [key]: page.map(view), ...more };
}

/** Sorts by name, case-insensitively, as IAM lists entities. */
export const byName =
  <T>(nameOf: (item: T) => string) =>
  (a: T, b: T): number => {
    const [x, y] = [nameOf(a).toLowerCase(), nameOf(b).toLowerCase()];
    return x < y ? -1 : x > y ? 1 : 0;
  };
