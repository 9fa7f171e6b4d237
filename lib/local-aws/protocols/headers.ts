import type { IncomingHttpHeaders } from "node:http";

/** Request headers as single strings (repeated headers joined with commas, as HTTP allows). */
export function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(",") : value;
  return flat;
}

/** An operation's response headers without the ones it left undefined. */
export function definedHeaders(headers: Record<string, string | undefined> = {}): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) defined[name] = value;
  return defined;
}
