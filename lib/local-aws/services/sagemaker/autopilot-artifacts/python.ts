/** Values written into generated Python code. */

type Literal = string | number | boolean | null | undefined | readonly Literal[] | { readonly [key: string]: Literal };

/**
 * The value as a Python literal: strings in double quotes (JSON's escapes are Python's too),
 * True/False/None, lists and dicts; keys whose value is undefined are left out.
 */
export function pythonLiteral(value: Literal, indent = ""): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : `float(${JSON.stringify(String(value).toLowerCase())})`;
  if (typeof value === "string") return JSON.stringify(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((item: Literal) => `${inner}${pythonLiteral(item, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, Literal>).filter(([, item]) => item !== undefined);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${pythonLiteral(item, inner)},`).join("\n")}\n${indent}}`;
}
