import { XMLParser } from "fast-xml-parser";
import { Readable } from "node:stream";
import { AwsError } from "../errors.ts";
import type { RestOutput, RestRoute } from "../service.ts";
import { definedHeaders, flatHeaders } from "./headers.ts";
import type { Protocol, RawRequest } from "./types.ts";
import { buildXml, toXmlTree } from "./xml.ts";

const S3_NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
const MAX_XML_BODY = 2 * 1024 * 1024;
const xmlParser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, isArray: () => false, processEntities: true });

/**
 * restXml as S3 speaks it: the operation named by method, path (bucket, key) and query; inputs in
 * path, query and headers; bodies streamed or XML; results as status, headers and XML or bytes.
 */
export const restXml: Protocol = {
  parse(request, service) {
    const { bucket, key } = addressOf(request);
    const target = key !== undefined ? "object" : bucket !== undefined ? "bucket" : "service";
    const route = findRoute(service.routes ?? [], request, target);
    if (!route) {
      throw new AwsError("MethodNotAllowed", `The specified method ${request.method} is not allowed against this resource.`, 405);
    }
    return {
      operation: route.operation,
      input: {
        Bucket: bucket,
        Key: key,
        Query: Object.fromEntries(request.query),
        Headers: flatHeaders(request.headers),
        Body: request.payload?.stream,
        Trailers: request.payload?.trailers,
        ReadXml: () => readXml(request),
        ReadText: () => readText(request, MAX_XML_BODY),
      },
    };
  },

  result(output) {
    const rest = (output ?? {}) as RestOutput;
    const headers = definedHeaders(rest.headers);
    if (rest.xml) {
      const { root, content } = rest.xml;
      return { status: rest.status ?? 200, headers: { "content-type": "application/xml", ...headers }, body: buildXml(root, S3_NAMESPACE, toXmlTree(content, "repeated") as Record<string, never>) };
    }
    if (rest.body instanceof Readable) return { status: rest.status ?? 200, headers, body: rest.body };
    return { status: rest.status ?? 200, headers, body: rest.body ?? Buffer.alloc(0) };
  },

  error(error, _service, requestId, request) {
    const code = S3_CODES[error.code] ?? error.code;
    const headers = { "content-type": "application/xml", "x-amz-request-id": requestId, "x-amz-id-2": requestId };
    if (request?.method === "HEAD") return { status: error.status, headers, body: Buffer.alloc(0) };
    const body = buildXml("Error", undefined, { Code: code, Message: error.message, ...error.fields, RequestId: requestId, HostId: requestId });
    return { status: error.status, headers, body };
  },
};

/** Auth failures say the same thing in S3's words. */
const S3_CODES: Record<string, string> = {
  InvalidClientTokenId: "InvalidAccessKeyId",
  MissingAuthenticationToken: "AccessDenied",
  IncompleteSignature: "AuthorizationHeaderMalformed",
};

/** Virtual-hosted (`bucket.localhost`, `bucket.s3.amazonaws.com`) or path-style (`/bucket/key`) addressing. */
export function addressOf(request: RawRequest): { bucket?: string; key?: string } {
  const virtual = /^(.+?)\.(?:s3[.-][a-z0-9.-]*amazonaws\.com|s3\.localhost|localhost)$/.exec(request.host)?.[1];
  const path = request.rawPath.startsWith("/") ? request.rawPath.slice(1) : request.rawPath;
  if (virtual) return path === "" ? { bucket: virtual } : { bucket: virtual, key: decode(path) };
  if (path === "") return {};
  const slash = path.indexOf("/");
  if (slash < 0) return { bucket: decode(path) };
  const key = path.slice(slash + 1);
  return key === "" ? { bucket: decode(path.slice(0, slash)) } : { bucket: decode(path.slice(0, slash)), key: decode(key) };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new AwsError("InvalidURI", "Couldn't parse the specified URI.", 400);
  }
}

function findRoute(routes: readonly RestRoute[], request: RawRequest, target: RestRoute["target"]): RestRoute | undefined {
  const candidates = routes.filter(
    (route) =>
      route.method === request.method &&
      route.target === target &&
      (route.query ?? []).every((name) => request.query.has(name)) &&
      (route.headers ?? []).every((name) => request.headers[name] !== undefined),
  );
  const specificity = (route: RestRoute) => (route.query?.length ?? 0) + (route.headers?.length ?? 0);
  return candidates.sort((a, b) => specificity(b) - specificity(a))[0];
}

async function readText(request: RawRequest, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.payload?.stream ?? []) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new AwsError("MaxMessageLengthExceeded", "Your request was too big.", 400);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function readXml(request: RawRequest): Promise<Record<string, unknown>> {
  const text = await readText(request, MAX_XML_BODY);
  if (text.trim() === "") return {};
  try {
    const parsed = xmlParser.parse(text, true) as Record<string, unknown>;
    delete parsed["?xml"];
    return parsed;
  } catch {
    throw new AwsError("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.", 400);
  }
}
