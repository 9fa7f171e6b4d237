import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { AwsError } from "./errors.ts";
import type { RawResponse } from "./protocols/types.ts";

/** Reads a request body, refusing (with AWS's 413) anything larger than `maxBytes`. */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers["content-length"] ?? 0);
  if (declared > maxBytes) {
    request.resume();
    return Promise.reject(tooLarge(maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        request.removeAllListeners("data");
        request.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks, size)));
    request.on("error", reject);
    request.on("aborted", () => reject(new AwsError("IncompleteBody", "The request body ended before its declared length.")));
  });
}

function tooLarge(maxBytes: number): AwsError {
  return new AwsError("RequestEntityTooLarge", `Request body exceeds the maximum allowed size of ${maxBytes} bytes.`, 413);
}

export function send(response: ServerResponse, raw: RawResponse): void {
  if (response.headersSent || response.destroyed) {
    if (raw.body instanceof Readable) raw.body.destroy();
    return;
  }
  if (raw.body instanceof Readable) {
    const stream = raw.body;
    response.writeHead(raw.status, raw.headers);
    stream.on("error", () => response.destroy());
    response.on("close", () => stream.destroy());
    stream.pipe(response);
    return;
  }
  const body = typeof raw.body === "string" ? Buffer.from(raw.body, "utf8") : raw.body;
  response.writeHead(raw.status, { "content-length": String(body.length), ...raw.headers });
  response.end(body);
}
