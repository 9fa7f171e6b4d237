import { XMLBuilder } from "fast-xml-parser";

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", suppressEmptyNode: false });

type XmlNode = string | XmlNode[] | { [name: string]: XmlNode };

/**
 * Converts an API output object to the tree fast-xml-parser builds: arrays become
 * `<member>` lists (the awsQuery convention), dates ISO 8601, booleans and numbers text;
 * undefined fields are left out.
 */
export function toXmlTree(value: unknown): XmlNode {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return { member: value.map(toXmlTree) };
  if (value !== null && typeof value === "object") {
    const tree: Record<string, XmlNode> = {};
    for (const [name, child] of Object.entries(value)) {
      if (child !== undefined && child !== null) tree[name] = toXmlTree(child);
    }
    return tree;
  }
  return String(value);
}

export function buildXml(rootName: string, namespace: string | undefined, content: Record<string, XmlNode>): string {
  const root = namespace ? { "@_xmlns": namespace, ...content } : content;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [rootName]: root })}`;
}
