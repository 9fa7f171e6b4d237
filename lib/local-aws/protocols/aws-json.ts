import { AwsError } from "../errors.ts";
import { checkJsonDepth } from "./json-depth.ts";
import type { Protocol, RawResponse } from "./types.ts";

/**
 * awsJson1_1 (SageMaker): `POST /` with `X-Amz-Target: <Prefix>.<Operation>` and a JSON body;
 * results as JSON with timestamps in epoch seconds; errors as `{"__type", "message"}`.
 */
export const awsJson: Protocol = {
  parse(request) {
    const target = String(request.headers["x-amz-target"] ?? "");
    const operation = target.slice(target.lastIndexOf(".") + 1);
    if (!operation) throw new AwsError("UnknownOperationException", "The X-Amz-Target header is missing or names no operation.");
    const text = request.body.toString("utf8").trim();
    let input: unknown = {};
    if (text !== "") {
      checkJsonDepth(text);
      try {
        input = JSON.parse(text);
      } catch {
        throw new AwsError("SerializationException", "The request body is not valid JSON.");
      }
    }
    if (typeof input !== "object" || input === null || Array.isArray(input)) throw new AwsError("SerializationException", "The request body must be a JSON object.");
    return { operation, input: input as Record<string, unknown> };
  },

  result(output, _operation, _service, requestId) {
    return jsonResponse(200, JSON.stringify(toJson(output ?? {})), requestId);
  },

  error(error, _service, requestId) {
    const response = jsonResponse(error.status, JSON.stringify({ __type: error.code, message: error.message }), requestId);
    response.headers["x-amzn-errortype"] = error.code;
    return response;
  },
};

function jsonResponse(status: number, body: string, requestId: string): RawResponse {
  return { status, headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId }, body };
}

/** Dates become epoch seconds (with milliseconds), the awsJson timestamp format; undefined fields are dropped. */
export function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [name, child] of Object.entries(value)) if (child !== undefined) out[name] = toJson(child);
    return out;
  }
  return value;
}
