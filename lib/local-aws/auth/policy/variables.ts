import type { RequestContext } from "./context.ts";
import { piecesOf, type PatternPiece } from "./wildcard.ts";

/**
 * Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`) and the escapes `${*}`,
 * `${?}`, `${$}`. AWS only substitutes them in documents whose Version is 2012-10-17; in older
 * documents the same text is matched literally.
 */
type TemplatePart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "escape"; readonly text: string }
  | { readonly kind: "variable"; readonly key: string; readonly fallback: string | undefined };

const ESCAPES = new Set(["*", "?", "$"]);
const VARIABLE = /^\s*([^\s,]+)\s*(?:,\s*'([^']*)'\s*)?$/;
const MAX_CACHED_TEMPLATES = 5000;
const parsedTemplates = new Map<string, readonly TemplatePart[]>();

/**
 * Substitutes the variables in `text`. Substituted values and escapes become literal pieces so that a
 * `*` coming from them is never a wildcard. Returns undefined when a variable names a key that is
 * missing (and has no default) or multivalued: AWS then treats the value as matching nothing.
 */
export function resolveVariables(text: string, context: RequestContext, variablesEnabled: boolean): PatternPiece[] | undefined {
  if (!mayContainVariables(text, variablesEnabled)) return piecesOf(text);
  const pieces: PatternPiece[] = [];
  for (const part of parseTemplate(text)) {
    if (part.kind === "text") {
      pieces.push({ text: part.text, literal: false });
      continue;
    }
    const value = part.kind === "escape" ? part.text : variableValue(part.key, part.fallback, context);
    if (value === undefined) return undefined;
    pieces.push({ text: value, literal: true });
  }
  return pieces;
}

/** False when `text` certainly resolves to itself, so its pattern can be compiled once. */
export function mayContainVariables(text: string, variablesEnabled: boolean): boolean {
  return variablesEnabled && text.includes("${");
}

function variableValue(key: string, fallback: string | undefined, context: RequestContext): string | undefined {
  const value = context.get(key);
  if (typeof value === "string") return value;
  return value === undefined ? fallback : undefined;
}

function parseTemplate(text: string): readonly TemplatePart[] {
  let parts = parsedTemplates.get(text);
  if (!parts) {
    if (parsedTemplates.size >= MAX_CACHED_TEMPLATES) parsedTemplates.clear();
    parts = splitTemplate(text);
    parsedTemplates.set(text, parts);
  }
  return parts;
}

function splitTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let plain = "";
  let index = 0;
  while (index < text.length) {
    const start = text.indexOf("${", index);
    const end = start < 0 ? -1 : text.indexOf("}", start + 2);
    if (start < 0 || end < 0) {
      plain += text.slice(index);
      break;
    }
    const part = templatePart(text.slice(start + 2, end));
    if (part) {
      plain += text.slice(index, start);
      if (plain) parts.push({ kind: "text", text: plain });
      plain = "";
      parts.push(part);
    } else {
      plain += text.slice(index, end + 1);
    }
    index = end + 1;
  }
  if (plain) parts.push({ kind: "text", text: plain });
  return parts;
}

function templatePart(inner: string): TemplatePart | undefined {
  if (ESCAPES.has(inner)) return { kind: "escape", text: inner };
  const match = VARIABLE.exec(inner);
  return match ? { kind: "variable", key: match[1]!, fallback: match[2] } : undefined;
}
