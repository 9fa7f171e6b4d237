import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import type { VerifiedPayload } from "../auth/payload.ts";
import type { AwsError } from "../errors.ts";
import type { OperationInput, ServiceDefinition } from "../service.ts";

/** An HTTP request as the server received it: its body read (`body`), or streamed (`payload`) for services that take large bodies. */
export interface RawRequest {
  method: string;
  /** Host header without the port, lower case (virtual-hosted S3 buckets live there). */
  host: string;
  /** Path as sent (still percent-encoded). */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Each header's values as sent, one per occurrence (SigV4 joins a repeated header's values with a comma). */
  headersDistinct: NodeJS.Dict<string[]>;
  body: Buffer;
  payload?: VerifiedPayload;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** A stream must come with its content-length header. */
  body: string | Buffer | Readable;
}

export interface ParsedRequest {
  operation: string;
  input: OperationInput;
}

/** A wire protocol: how requests are read and results and errors written. Knows nothing of any service. */
export interface Protocol {
  parse(request: RawRequest, service: ServiceDefinition): ParsedRequest;
  result(output: unknown, operation: string, service: ServiceDefinition, requestId: string): RawResponse;
  error(error: AwsError, service: ServiceDefinition | undefined, requestId: string, request?: RawRequest): RawResponse;
}
