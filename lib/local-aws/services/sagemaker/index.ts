import type { ServiceDefinition } from "../../service.ts";
import { hostingOperations } from "./hosting.ts";
import { jobOperations } from "./jobs.ts";

export const sagemakerService: ServiceDefinition = {
  signingName: "sagemaker",
  protocol: "awsJson1_1",
  operations: { ...jobOperations, ...hostingOperations },
};

export { sagemakerRuntimeService } from "./runtime.ts";
import { resumeDeployments, type DeployContext } from "./deploy.ts";
import { resumeJobs } from "./job-runner.ts";

/** After a start: jobs that were running run again; endpoints caught deploying are deployed. */
export function resumeSageMaker(deps: DeployContext): void {
  resumeJobs(deps);
  resumeDeployments(deps);
}

/** Before a stop: job threads end without an outcome and pending deployments are cancelled, to resume at the next start. */
export { interruptJobs as interruptSageMaker } from "./job-runner.ts";
