import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../../lib/local-aws/auth/node-hash.ts";
import type { Credentials } from "./local-aws.ts";

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: string;
}

export interface HandMadeRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}

/** The headers of a hand-made request, SigV4-signed for `service` (S3 paths are not escaped again, as S3 signs them). */
export async function signedHeaders(endpoint: string, credentials: Credentials, service: string, request: HandMadeRequest): Promise<Record<string, string>> {
  const url = new URL(request.path ?? "/", endpoint);
  const signer = new SignatureV4({ credentials, region: "us-east-1", service, sha256: NodeSha256, uriEscapePath: service !== "s3" });
  const signed = await signer.sign({
    method: request.method ?? "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, ...request.headers },
    body: request.body,
  });
  return signed.headers;
}

/** Sends a hand-made request, SigV4-signed for `service`, so tests can send what no SDK would. */
export async function signedFetch(endpoint: string, credentials: Credentials, service: string, request: HandMadeRequest): Promise<RawAnswer> {
  const url = new URL(request.path ?? "/", endpoint);
  const headers = await signedHeaders(endpoint, credentials, service, request);
  const response = await fetch(url, { method: request.method ?? "POST", headers, body: request.body });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

export const formHeaders = { "content-type": "application/x-www-form-urlencoded; charset=utf-8" };
