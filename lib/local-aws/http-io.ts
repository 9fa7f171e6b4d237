import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import { Readable, type Duplex } from "node:stream";
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

/**
 * S3's answer to a connection left idle: 400 RequestTimeout, "Your socket connection to the server
 * was not read from or written to within the timeout period. Idle connections will be closed."
 * https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList
 */
export function requestTimeout(): AwsError {
  return new AwsError(
    "RequestTimeout",
    "Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.",
    400,
  );
}

/**
 * Watches a request's connection for `idleMs` of silence. While the request's body is still
 * arriving, the request is answered with `answer(requestTimeout())` and the connection closed;
 * while its answer is being sent (a client that stopped reading), the connection is dropped; while
 * the server is still working on a complete request, nothing happens.
 */
export function closeWhenIdle(request: IncomingMessage, response: ServerResponse, idleMs: number, answer: (error: AwsError) => RawResponse): void {
  request.setTimeout(idleMs);
  response.on("timeout", () => {
    if (response.headersSent) {
      if (!response.writableFinished) response.destroy();
      return;
    }
    if (request.complete) return;
    const raw = answer(requestTimeout());
    send(response, { ...raw, headers: { ...raw.headers, connection: "close" } });
  });
}

/** Writes a whole response straight to a socket (for answers before Node has made a request of it) and closes it. */
export function endSocket(socket: Duplex, raw: RawResponse): void {
  if (!socket.writable || raw.body instanceof Readable) return void socket.destroy();
  const body = typeof raw.body === "string" ? Buffer.from(raw.body, "utf8") : raw.body;
  const headers = { ...raw.headers, "content-length": String(body.length), connection: "close" };
  const head = [`HTTP/1.1 ${raw.status} ${STATUS_CODES[raw.status] ?? ""}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`), "", ""].join("\r\n");
  socket.end(Buffer.concat([Buffer.from(head, "latin1"), body]));
}
