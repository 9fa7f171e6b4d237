import { XMLBuilder } from "fast-xml-parser";

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", suppressEmptyNode: false });

type XmlNode = string | XmlNode[] | { [name: string]: XmlNode };

/**
 * Converts an API output object to the tree fast-xml-parser builds: dates ISO 8601, booleans and
 * numbers text, undefined fields left out; arrays become `<member>` lists (awsQuery) or, with
 * `lists: "repeated"`, the element repeated (S3's flattened lists).
 */
export function toXmlTree(value: unknown, lists: "member" | "repeated" = "member"): XmlNode {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map((item) => toXmlTree(item, lists));
    return lists === "member" ? { member: items } : items;
  }
  if (value !== null && typeof value === "object") {
    const tree: Record<string, XmlNode> = {};
    for (const [name, child] of Object.entries(value)) {
      if (child !== undefined && child !== null) tree[name] = toXmlTree(child, lists);
    }
    return tree;
  }
  return String(value);
}

export function buildXml(rootName: string, namespace: string | undefined, content: Record<string, XmlNode>): string {
  const root = namespace ? { "@_xmlns": namespace, ...content } : content;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [rootName]: root })}`;
}
