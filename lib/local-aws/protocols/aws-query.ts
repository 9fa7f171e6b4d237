import { AwsError } from "../errors.ts";
import type { OperationInput } from "../service.ts";
import type { Protocol, RawRequest, RawResponse } from "./types.ts";
import { buildXml, toXmlTree } from "./xml.ts";

/**
 * awsQuery (IAM, STS): parameters form-encoded in the body (or the query string of a GET),
 * `Action` naming the operation; results and errors as XML.
 */
export const awsQuery: Protocol = {
  parse(request: RawRequest) {
    const params = queryParameters(request);
    const action = params.get("Action");
    if (!action) throw new AwsError("MissingAction", "The request must contain the parameter Action.");
    params.delete("Action");
    params.delete("Version");
    return { operation: action, input: nestParameters(params) };
  },

  result(output, operation, service, requestId) {
    const content: Record<string, ReturnType<typeof toXmlTree>> = {};
    if (output !== undefined) content[`${operation}Result`] = toXmlTree(output);
    content.ResponseMetadata = { RequestId: requestId };
    return xmlResponse(200, buildXml(`${operation}Response`, service.xmlNamespace, content), requestId);
  },

  error(error, service, requestId) {
    const body = buildXml("ErrorResponse", service?.xmlNamespace, {
      Error: { Type: error.type, Code: error.code, Message: error.message },
      RequestId: requestId,
    });
    return xmlResponse(error.status, body, requestId);
  },
};

function xmlResponse(status: number, body: string, requestId: string): RawResponse {
  return { status, headers: { "content-type": "text/xml", "x-amzn-requestid": requestId }, body };
}

function queryParameters(request: RawRequest): URLSearchParams {
  if (request.method === "GET") return new URLSearchParams(request.query);
  const contentType = String(request.headers["content-type"] ?? "");
  if (!contentType.startsWith("application/x-www-form-urlencoded")) {
    throw new AwsError("InvalidParameterValue", `awsQuery requests must be application/x-www-form-urlencoded, not "${contentType}".`);
  }
  return new URLSearchParams(request.body.toString("utf8"));
}

const MAX_LIST_INDEX = 10_000;
/**
 * The longest parameter name and the most dot-separated parts read. IAM's and STS's deepest names
 * (`Tags.member.1.Key`, `PolicyArns.member.1.arn`) have four parts; other awsQuery services' reach
 * seven (`MessageAttributes.entry.1.Value.StringListValues.member.1`). AWS documents no limit; past
 * these the name answers InvalidQueryParameter, "The AWS query string is malformed or does not
 * adhere to AWS standards", 400 (https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html).
 * Bounding the parts also bounds the recursion in `shapeLists`.
 */
const MAX_NAME_LENGTH = 512;
const MAX_NAME_PARTS = 16;

/**
 * Turns flat awsQuery names into the input shape: `Tags.member.2.Key=k` becomes
 * `{ Tags: [, { Key: "k" }] }` (compacted), `Attributes.entry.1.key/value` become a map.
 */
export function nestParameters(params: URLSearchParams): OperationInput {
  const root: Record<string, unknown> = {};
  for (const [name, value] of params) {
    const path = nameParts(name);
    if (path.some((segment) => segment === "" || segment === "__proto__" || segment === "constructor" || segment === "prototype")) {
      throw new AwsError("MalformedQueryString", `Parameter name "${name}" is not valid.`);
    }
    let node: Record<string, unknown> = root;
    for (let i = 0; i < path.length - 1; i++) {
      const segment = path[i]!;
      const child = node[segment];
      if (child !== undefined && (typeof child !== "object" || child === null)) {
        throw new AwsError("MalformedQueryString", `Parameter "${name}" conflicts with "${path.slice(0, i + 1).join(".")}".`);
      }
      node[segment] = child ?? {};
      node = node[segment] as Record<string, unknown>;
    }
    const leaf = path[path.length - 1]!;
    if (typeof node[leaf] === "object") throw new AwsError("MalformedQueryString", `Parameter "${name}" conflicts with "${name}.*".`);
    node[leaf] = value;
  }
  return shapeLists(root) as OperationInput;
}

function nameParts(name: string): string[] {
  const path = name.length > MAX_NAME_LENGTH ? [] : name.split(".", MAX_NAME_PARTS + 1);
  if (path.length === 0 || path.length > MAX_NAME_PARTS) {
    throw new AwsError("InvalidQueryParameter", `Parameter names must be at most ${MAX_NAME_LENGTH} characters in at most ${MAX_NAME_PARTS} dot-separated parts.`);
  }
  return path;
}

/** `{ member: { "1": a, "2": b } }` → `[a, b]`; `{ entry: { "1": { key, value } } }` → `{ [key]: value }`. */
function shapeLists(node: unknown): unknown {
  if (typeof node !== "object" || node === null) return node;
  const record = node as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && (keys[0] === "member" || keys[0] === "entry")) {
    const items = record[keys[0]!];
    if (typeof items === "object" && items !== null) {
      const indexed = Object.entries(items as Record<string, unknown>).map(([index, item]) => {
        const position = Number(index);
        if (!Number.isInteger(position) || position < 1 || position > MAX_LIST_INDEX) {
          throw new AwsError("MalformedQueryString", `List index "${index}" must be an integer from 1 to ${MAX_LIST_INDEX}.`);
        }
        return [position, shapeLists(item)] as const;
      });
      indexed.sort((a, b) => a[0] - b[0]);
      if (keys[0] === "member") return indexed.map(([, item]) => item);
      return Object.fromEntries(indexed.map(([, item]) => mapEntry(item)));
    }
  }
  return Object.fromEntries(keys.map((key) => [key, shapeLists(record[key])]));
}

function mapEntry(item: unknown): [string, unknown] {
  const entry = item as Record<string, unknown> | undefined;
  if (!entry || typeof entry.key !== "string") throw new AwsError("MalformedQueryString", "Map entries need a key and a value.");
  return [entry.key, entry.value];
}
