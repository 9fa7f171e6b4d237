import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import { authenticate } from "./auth/authenticate.ts";
import { openPayload } from "./auth/payload.ts";
import { checkSignedHeaders, isSigned, parseSignatureClaim, singleHeader } from "./auth/claim.ts";
import { checkCredentialScope } from "./auth/scope.ts";
import { authorize } from "./auth/authorize.ts";
import type { Clock } from "./clock.ts";
import { ANONYMOUS } from "./principal.ts";
import type { LocalAwsConfig } from "./config.ts";
import { AwsError } from "./errors.ts";
import { closeWhenIdle, endSocket, readBody, requestTimeout, send } from "./http-io.ts";
import { guessProtocol, protocolFor } from "./protocols/index.ts";
import type { Protocol, RawRequest } from "./protocols/types.ts";
import type { OperationContext, ServiceDefinition } from "./service.ts";
import { resolveAnonymousService, resolveService } from "./services/index.ts";
import { touchAccessKeyLastUsed } from "./services/iam/queries.ts";
import type { Store } from "./store/store.ts";

export interface ServerDeps {
  config: LocalAwsConfig;
  store: Store;
  clock: Clock;
}

/**
 * The local AWS over node:http: authenticate, route to a service, authorize, answer in the service's protocol.
 * Headers must arrive within `requestIdleTimeoutMs` and bodies not idle that long, or the request is
 * answered 400 RequestTimeout as S3 answers it (`closeWhenIdle`); Node's own limit on a whole
 * request is off, as S3 has none: a large upload may take as long as it keeps moving.
 */
export function createLocalAwsServer(deps: ServerDeps): Server {
  const idleMs = deps.config.requestIdleTimeoutMs;
  const options = { headersTimeout: idleMs, requestTimeout: 0, connectionsCheckingInterval: Math.min(1000, Math.max(10, Math.floor(idleMs / 4))) };
  const server = createServer(options, (request, response) => {
    handle(deps, request, response).catch((error: unknown) => {
      console.error("local-aws: failed to answer a request:", error);
      if (!response.headersSent) response.writeHead(500).end();
    });
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    // Headers too slow: the service is not known yet, so the answer is S3's, the one AWS documents.
    if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") return endSocket(socket, protocolFor("restXml").error(requestTimeout(), undefined, randomUUID()));
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  });
  return server;
}

async function handle(deps: ServerDeps, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const target = request.url ?? "/";
  const queryStart = target.indexOf("?");
  const rawPath = queryStart < 0 ? target : target.slice(0, queryStart);
  if (rawPath.startsWith("/_local/")) return adminRoute(deps, rawPath, request, response);

  const raw: RawRequest = {
    method: request.method ?? "GET",
    host: String(request.headers.host ?? "").replace(/:\d+$/, "").toLowerCase(),
    rawPath,
    query: new URLSearchParams(queryStart < 0 ? "" : target.slice(queryStart + 1)),
    headers: request.headers,
    headersDistinct: request.headersDistinct,
    body: Buffer.alloc(0),
  };
  let service: ServiceDefinition | undefined;
  let protocol: Protocol = guessProtocol(raw);
  let bodyUnread = true;
  closeWhenIdle(request, response, deps.config.requestIdleTimeoutMs, (error) => protocol.error(error, service, requestId, raw));
  const readWholeBody = async () => {
    raw.body = await readBody(request, deps.config.maxBodyBytes);
    bodyUnread = false;
  };
  try {
    const claim = isSigned(raw) ? parseSignatureClaim(raw) : undefined;
    // An awsQuery request names its API (IAM's or STS's) in its Version, which may be in the body.
    if (protocol === protocolFor("awsQuery")) await readWholeBody();
    service = claim ? resolveService(claim.service, raw) : resolveAnonymousService(raw);
    protocol = protocolFor(service.protocol);
    if (claim) {
      checkCredentialScope(claim, service, raw, deps.store);
      checkSignedHeaders(raw, claim);
    }
    const streamed = service.streamingBody === true;
    if (!streamed && bodyUnread) await readWholeBody();
    const accountIds = deps.config.accounts.map((account) => account.id);
    const now = deps.clock.now();
    const signing = claim && { claim, ...(await authenticate(raw, claim, deps.store, accountIds, now, streamed)) };
    const principal = signing?.principal ?? ANONYMOUS;
    // The region the request is for: its scope's, as an endpoint's would be (auth/scope.ts); the server's for unsigned ones.
    const region = claim?.region ?? deps.config.region;
    if (streamed) {
      raw.payload = openPayload(request, singleHeader(raw, "x-amz-content-sha256"), signing);
      bodyUnread = false;
    }
    if (principal.kind === "user") {
      touchAccessKeyLastUsed(deps.store, principal.accountId, principal.accessKeyId, { serviceName: service.signingName, region }, now);
    }

    const { operation, input } = protocol.parse(raw, service);
    const run = Object.hasOwn(service.operations, operation) ? service.operations[operation] : undefined;
    if (!run) throw new AwsError("InvalidAction", `Could not find operation ${operation} for ${service.signingName}.`);

    let authorized = false;
    const facts = { principal, region, sourceIp: request.socket.remoteAddress ?? "127.0.0.1", secureTransport: false, now };
    const context: OperationContext = {
      requestId,
      region,
      principal,
      store: deps.store,
      config: deps.config,
      now: () => deps.clock.now(),
      authorize(check) {
        authorize(deps.store, facts, check);
        authorized = true;
      },
    };
    const output = await run(context, input);
    if (!authorized && !service.alwaysAllowed?.includes(operation)) {
      throw new Error(`${service.signingName}:${operation} finished without an authorization check`);
    }
    send(response, protocol.result(output, operation, service, requestId));
  } catch (error) {
    if (bodyUnread) request.resume();
    raw.payload?.stream.resume();
    const awsError = asAwsError(error);
    const answer = protocol.error(awsError, service, requestId, raw);
    send(response, { ...answer, headers: { ...answer.headers, ...awsError.headers } });
  }
}

function asAwsError(error: unknown): AwsError {
  if (error instanceof AwsError) return error;
  console.error("local-aws: internal error:", error);
  return new AwsError("InternalFailure", "The request processing has failed because of an unknown error.", 500);
}

function adminRoute(deps: ServerDeps, path: string, request: IncomingMessage, response: ServerResponse): void {
  request.resume();
  if (path === "/_local/health" && request.method === "GET") {
    const body = JSON.stringify({
      status: "ok",
      pid: process.pid,
      region: deps.config.region,
      accounts: deps.config.accounts.map(({ id, alias }) => ({ id, alias })),
      time: deps.clock.now().toISOString(),
    });
    send(response, { status: 200, headers: { "content-type": "application/json" }, body });
    return;
  }
  send(response, { status: 404, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: `no route ${path}` }) });
}
