import type { ProtocolName } from "../service.ts";
import { awsQuery } from "./aws-query.ts";
import type { Protocol, RawRequest } from "./types.ts";

const protocols: Partial<Record<ProtocolName, Protocol>> = { awsQuery };

export function protocolFor(name: ProtocolName): Protocol {
  const protocol = protocols[name];
  if (!protocol) throw new Error(`protocol ${name} is not implemented`);
  return protocol;
}

/** The protocol a request speaks, judged from its shape (for errors raised before its service is known). */
export function guessProtocol(request: RawRequest): Protocol {
  const byShape: ProtocolName = request.headers["x-amz-target"] ? "awsJson1_1" : "awsQuery";
  return protocols[byShape] ?? awsQuery;
}
