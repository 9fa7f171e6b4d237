import type { Readable } from "node:stream";
import type { ConditionContext, PolicyDocument } from "./auth/policy/types.ts";
import type { Principal } from "./principal.ts";
import type { Store } from "./store/store.ts";
import type { LocalAwsConfig } from "./config.ts";
import type { ScopeRefusal } from "./auth/scope.ts";

/** What a service asks `auth` to decide before it acts. */
export interface AuthorizationCheck {
  /** "service:Action", e.g. "iam:CreateUser". */
  action: string;
  /** Resource ARN ("*" for actions without a resource). */
  resource: string;
  /** Owner of the resource; defaults to the caller's account. */
  resourceAccount?: string;
  /** Resource-based policy on the resource (bucket policy ...). */
  resourcePolicy?: PolicyDocument;
  /** Request-specific condition keys (sts:ExternalId, iam:PassedToService, s3:prefix ...). */
  context?: ConditionContext;
}

/** Everything an operation may use; services never see HTTP. */
export interface OperationContext {
  requestId: string;
  region: string;
  principal: Principal;
  store: Store;
  config: LocalAwsConfig;
  now(): Date;
  /** Throws AccessDenied (naming principal, action and resource) unless the policies allow the request. */
  authorize(check: AuthorizationCheck): void;
}

/** Parsed request parameters, shaped like the API's input (nested objects, arrays, string leaves). */
export type OperationInput = Record<string, unknown>;

export type Operation = (ctx: OperationContext, input: OperationInput) => unknown;

export type ProtocolName = "awsQuery" | "restXml" | "awsJson1_1" | "restJson1";

export interface ServiceDefinition {
  /** Service name in the SigV4 credential scope ("iam", "sts", "s3", "sagemaker"). */
  signingName: string;
  protocol: ProtocolName;
  /** awsJson: the prefix of X-Amz-Target that names this service ("SageMaker" in `SageMaker.ListModels`). */
  targetPrefix?: string;
  /** awsQuery: the API version its requests carry in `Version` ("2010-05-08" for IAM). */
  apiVersion?: string;
  /**
   * The region of the service's one global endpoint, the only region its signatures may be scoped
   * to (IAM: us-east-1). Services without one have an endpoint in every region of the partition.
   */
  globalRegion?: string;
  /** How the service refuses a credential scoped to a region or service it does not serve, when not as auth/scope.ts does by default. */
  refuseScope?: ScopeRefusal;
  /** XML namespace of awsQuery/restXml responses. */
  xmlNamespace?: string;
  operations: Record<string, Operation>;
  /** Operations AWS allows without any policy (e.g. sts:GetCallerIdentity); all others must call authorize. */
  alwaysAllowed?: readonly string[];
  /** Request bodies are streamed to the operation (input.Body) instead of read into memory first. */
  streamingBody?: boolean;
  /** For S3's restXml: which operation a method, path and query name. */
  routes?: readonly RestRoute[];
  /** For restJson1: operations by method and path template (`{Label}` segments become inputs). */
  paths?: readonly PathRoute[];
}

export interface PathRoute {
  operation: string;
  method: "GET" | "PUT" | "POST" | "DELETE";
  /** e.g. ["endpoints", "{EndpointName}", "invocations"]. */
  segments: readonly string[];
}

/** A REST operation's address: method, whether the path names a bucket/key, and the query keys that select it. */
export interface RestRoute {
  operation: string;
  method: "GET" | "PUT" | "POST" | "DELETE" | "HEAD";
  target: "service" | "bucket" | "object";
  /** Query parameters that must be present (e.g. "policy", "uploadId"). */
  query?: readonly string[];
  /** Headers that must be present (e.g. "x-amz-copy-source"). */
  headers?: readonly string[];
}

/** What a REST operation answers: status, headers, and an XML document or a raw body. */
export interface RestOutput {
  status?: number;
  headers?: Record<string, string | undefined>;
  xml?: { root: string; content: Record<string, unknown> };
  body?: Buffer | Readable;
}
