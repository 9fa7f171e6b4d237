import { AwsError } from "../errors.ts";
import type { RestOutput } from "../service.ts";
import { definedHeaders, flatHeaders } from "./headers.ts";
import type { Protocol } from "./types.ts";
import { toJson } from "./aws-json.ts";

/**
 * restJson1 as SageMaker Runtime speaks it: the operation named by method and path
 * (`POST /endpoints/{EndpointName}/invocations`), the payload raw bytes, results raw bytes with
 * headers; errors as JSON with `x-amzn-errortype`.
 */
export const restJson: Protocol = {
  parse(request, service) {
    const segments = request.rawPath.split("/").filter(Boolean).map(decodeSegment);
    for (const route of service.paths ?? []) {
      if (route.method !== request.method || route.segments.length !== segments.length) continue;
      const labels: Record<string, string> = {};
      const matches = route.segments.every((part, i) => {
        if (part.startsWith("{")) {
          labels[part.slice(1, -1)] = segments[i]!;
          return true;
        }
        return part === segments[i];
      });
      if (!matches) continue;
      return { operation: route.operation, input: { ...labels, Headers: flatHeaders(request.headers), Body: request.body } };
    }
    throw new AwsError("UnknownOperationException", `No operation answers ${request.method} ${request.rawPath}.`, 404);
  },

  result(output, _operation, _service, requestId) {
    const rest = (output ?? {}) as RestOutput;
    const headers = { "x-amzn-requestid": requestId, ...definedHeaders(rest.headers) };
    return { status: rest.status ?? 200, headers, body: (rest.body as Buffer | undefined) ?? Buffer.alloc(0) };
  },

  error(error, _service, requestId) {
    return {
      status: error.status,
      headers: { "content-type": "application/json", "x-amzn-requestid": requestId, "x-amzn-errortype": error.code },
      body: JSON.stringify(toJson({ message: error.message, ...error.fields })),
    };
  },
};

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new AwsError("ValidationError", "The request path is not valid percent-encoding.", 400);
  }
}
