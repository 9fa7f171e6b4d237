import { AwsError } from "../errors.ts";
import { guessProtocol, protocolFor } from "../protocols/index.ts";
import type { RawRequest } from "../protocols/types.ts";
import type { ServiceDefinition } from "../service.ts";
import { iamService } from "./iam/index.ts";
import { s3Service } from "./s3/index.ts";
import { sagemakerRuntimeService, sagemakerService } from "./sagemaker/index.ts";
import { stsService } from "./sts/index.ts";

export const services: readonly ServiceDefinition[] = [iamService, stsService, s3Service, sagemakerService, sagemakerRuntimeService];

/** The service a request is for: by the signing name in its credential scope, then by its protocol's shape. */
export function resolveService(signingName: string, request: RawRequest): ServiceDefinition {
  const candidates = services.filter((service) => service.signingName === signingName);
  const wantsJson = request.headers["x-amz-target"] !== undefined;
  const service =
    candidates.length <= 1
      ? candidates[0]
      : candidates.find((candidate) => (candidate.protocol === "awsJson1_1") === wantsJson);
  if (!service) {
    throw new AwsError("UnrecognizedClientException", `The local AWS does not implement the service "${signingName}" named in the credential scope.`, 400);
  }
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
