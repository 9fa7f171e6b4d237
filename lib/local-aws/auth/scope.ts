import { AwsError } from "../errors.ts";
import type { RawRequest } from "../protocols/types.ts";
import type { ServiceDefinition } from "../service.ts";
import type { Store } from "../store/store.ts";
import type { SignatureClaim } from "./claim.ts";
import { isAwsRegion } from "./regions.ts";

/** What is wrong with a credential scope: a region the endpoint does not serve, a service it is not. */
export interface ScopeProblem {
  region: boolean;
  service: boolean;
}

export type ScopeRefusal = (claim: SignatureClaim, problem: ScopeProblem, request: RawRequest, store: Store) => AwsError;

/**
 * The credential scope checks AWS's endpoints make ("Credential scope errors",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html): a signature
 * scoped to another region than the endpoint's, or another service, is refused. The local AWS is
 * one endpoint for every region, so the region a request is for is the one its scope names, as the
 * endpoint's region would be on AWS; that region must be a region of the aws partition (this local
 * AWS's ARNs are `arn:aws:`) and, for a service with one global endpoint, that endpoint's region
 * (IAM's is us-east-1: https://docs.aws.amazon.com/general/latest/gr/iam-service.html). The service
 * must be the one the request reached (services/index.ts `resolveService`). Checked before the key
 * and the signature, as AWS does: a scope error is answered whatever the credentials.
 */
export function checkCredentialScope(claim: SignatureClaim, service: ServiceDefinition, request: RawRequest, store: Store): void {
  const problem: ScopeProblem = {
    region: !isAwsRegion(claim.region) || (service.globalRegion !== undefined && claim.region !== service.globalRegion),
    service: claim.service !== service.signingName,
  };
  if (!problem.region && !problem.service) return;
  throw service.refuseScope ? service.refuseScope(claim, problem, request, store) : refusal(service, claim, problem);
}

/**
 * How IAM, STS and SageMaker answer: both problems in one message, the region's first. awsQuery
 * services say 403 SignatureDoesNotMatch, JSON ones 400 InvalidSignatureException (as SageMaker
 * answers "Credential should be scoped to correct service: 'sagemaker'. "); IAM's global endpoint
 * names the region it refuses ("Credential should be scoped to a valid region, not 'eu-west-1'. "),
 * regional endpoints do not. AWS's pages give the messages, not the codes; these are what the
 * services send.
 */
function refusal(service: ServiceDefinition, claim: SignatureClaim, problem: ScopeProblem): AwsError {
  const region = service.globalRegion === undefined ? "Credential should be scoped to a valid region. " : `Credential should be scoped to a valid region, not '${claim.region}'. `;
  const message = `${problem.region ? region : ""}${problem.service ? `Credential should be scoped to correct service: '${service.signingName}'. ` : ""}`;
  return service.protocol === "awsQuery" ? new AwsError("SignatureDoesNotMatch", message, 403) : new AwsError("InvalidSignatureException", message, 400);
}
