import type { IncomingHttpHeaders } from "node:http";
import type { AwsError } from "../errors.ts";
import type { OperationInput, ServiceDefinition } from "../service.ts";

/** An HTTP request as the server received it, body read. */
export interface RawRequest {
  method: string;
  /** Path as sent (still percent-encoded). */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface ParsedRequest {
  operation: string;
  input: OperationInput;
}

/** A wire protocol: how requests are read and results and errors written. Knows nothing of any service. */
export interface Protocol {
  parse(request: RawRequest, service: ServiceDefinition): ParsedRequest;
  result(output: unknown, operation: string, service: ServiceDefinition, requestId: string): RawResponse;
  error(error: AwsError, service: ServiceDefinition | undefined, requestId: string): RawResponse;
}
