import type { ProtocolName } from "../service.ts";
import { awsJson } from "./aws-json.ts";
import { awsQuery } from "./aws-query.ts";
import { restJson } from "./rest-json.ts";
import { restXml } from "./rest-xml.ts";
import type { Protocol, RawRequest } from "./types.ts";

const protocols: Record<ProtocolName, Protocol> = { awsQuery, restXml, awsJson1_1: awsJson, restJson1: restJson };

export function protocolFor(name: ProtocolName): Protocol {
  return protocols[name];
}

/** The protocol a request speaks, judged from its shape (for errors raised before its service is known). */
export function guessProtocol(request: RawRequest): Protocol {
  return protocols[shapeOf(request)];
}

function shapeOf(request: RawRequest): ProtocolName {
  if (request.headers["x-amz-target"]) return "awsJson1_1";
  const form = String(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
  return form || request.query.has("Action") ? "awsQuery" : "restXml";
}
