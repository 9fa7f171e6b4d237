import type { ProtocolName } from "../service.ts";
import { awsQuery } from "./aws-query.ts";
import { restXml } from "./rest-xml.ts";
import type { Protocol, RawRequest } from "./types.ts";

const protocols: Partial<Record<ProtocolName, Protocol>> = { awsQuery, restXml };

export function protocolFor(name: ProtocolName): Protocol {
  const protocol = protocols[name];
  if (!protocol) throw new Error(`protocol ${name} is not implemented`);
  return protocol;
}

/** The protocol a request speaks, judged from its shape (for errors raised before its service is known). */
export function guessProtocol(request: RawRequest): Protocol {
  return protocols[shapeOf(request)] ?? awsQuery;
}

function shapeOf(request: RawRequest): ProtocolName {
  if (request.headers["x-amz-target"]) return "awsJson1_1";
  const form = String(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
  return form || request.query.has("Action") ? "awsQuery" : "restXml";
}
