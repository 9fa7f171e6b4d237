import type { ServiceDefinition } from "../../service.ts";
import type { Store } from "../../store/store.ts";
import { hostingOperations } from "./hosting.ts";
import { jobOperations } from "./jobs.ts";
import { transformOperations } from "./transform-jobs.ts";
import { describeTrainingJob } from "./training-jobs.ts";

export const sagemakerService: ServiceDefinition = {
  signingName: "sagemaker",
  protocol: "awsJson1_1",
  targetPrefix: "SageMaker",
  operations: { ...jobOperations, ...hostingOperations, ...transformOperations, DescribeTrainingJob: describeTrainingJob },
};

export { sagemakerRuntimeService } from "./runtime.ts";
import { resumeDeployments, type DeployContext } from "./deploy.ts";
import { interruptJobs, resumeJobs } from "./job-runner.ts";
import { interruptTransforms, resumeTransforms } from "./transform-runner.ts";

/** After a start: jobs that were running run again; endpoints caught deploying are deployed. */
export function resumeSageMaker(deps: DeployContext): void {
  resumeJobs(deps);
  resumeTransforms(deps);
  resumeDeployments(deps);
}

/** Before a stop: job threads end without an outcome and pending deployments are cancelled, to resume at the next start. */
export async function interruptSageMaker(store: Store): Promise<void> {
  await Promise.all([interruptJobs(store), interruptTransforms(store)]);
}
