import { AwsError } from "../errors.ts";
import { guessProtocol, protocolFor } from "../protocols/index.ts";
import type { RawRequest } from "../protocols/types.ts";
import type { ServiceDefinition } from "../service.ts";
import { iamService } from "./iam/index.ts";
import { s3Service } from "./s3/index.ts";
import { sagemakerRuntimeService, sagemakerService } from "./sagemaker/index.ts";
import { stsService } from "./sts/index.ts";

export const services: readonly ServiceDefinition[] = [iamService, stsService, s3Service, sagemakerService, sagemakerRuntimeService];

/**
 * The service a signed request reached. On AWS the host names the service's endpoint; the local AWS
 * serves every service at one address, so the request's shape names it instead: an X-Amz-Target
 * its JSON service by prefix (`SageMaker.ListModels`), an awsQuery request its API by `Version`
 * (IAM's 2010-05-08, STS's 2011-06-15, which every SDK sends); any other request is plain REST,
 * S3's, or SageMaker Runtime's when signed for "sagemaker" (its signing name). Where the shape
 * cannot tell (an awsQuery request without a known Version) the scope's service chooses. Whether
 * the scope names the service reached is for auth/scope.ts to check: an S3 request signed for
 * "sts" reached S3, which refuses it. An awsQuery request's body must have been read, as its
 * Version may be there.
 */
export function resolveService(scopeService: string, request: RawRequest): ServiceDefinition {
  const shape = guessProtocol(request);
  if (shape === protocolFor("awsJson1_1")) return byTarget(String(request.headers["x-amz-target"]));
  if (shape === protocolFor("awsQuery")) return byVersion(request, scopeService);
  return services.find((service) => service.protocol === "restJson1" && service.signingName === scopeService) ?? s3Service;
}

function byTarget(target: string): ServiceDefinition {
  const prefix = target.slice(0, Math.max(0, target.lastIndexOf(".")));
  const service = services.find((candidate) => candidate.targetPrefix === prefix);
  if (!service) throw new AwsError("UnrecognizedClientException", `The local AWS does not implement the service X-Amz-Target "${target}" names.`, 400);
  return service;
}

function byVersion(request: RawRequest, scopeService: string): ServiceDefinition {
  const parameters = request.method === "GET" ? request.query : new URLSearchParams(request.body.toString("utf8"));
  const version = parameters.get("Version");
  const queryServices = services.filter((service) => service.protocol === "awsQuery");
  const service = queryServices.find((candidate) => candidate.apiVersion === version) ?? queryServices.find((candidate) => candidate.signingName === scopeService);
  if (!service) throw new AwsError("UnrecognizedClientException", `The local AWS does not implement the service "${scopeService}" named in the credential scope, nor an API of version ${version ?? "(none given)"}.`, 400);
  return service;
}

/**
 * The service an unsigned request is for. Only S3 serves anonymous callers (evaluated against its
 * bucket policies); IAM, STS and SageMaker answer 403 MissingAuthenticationToken.
 */
export function resolveAnonymousService(request: RawRequest): ServiceDefinition {
  if (guessProtocol(request) !== protocolFor("restXml")) throw new AwsError("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
  return s3Service;
}
