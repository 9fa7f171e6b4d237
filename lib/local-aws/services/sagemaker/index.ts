import type { ServiceDefinition } from "../../service.ts";
import { hostingOperations } from "./hosting.ts";
import { jobOperations } from "./jobs.ts";

export const sagemakerService: ServiceDefinition = {
  signingName: "sagemaker",
  protocol: "awsJson1_1",
  operations: { ...jobOperations, ...hostingOperations },
};

export { sagemakerRuntimeService } from "./runtime.ts";
export { interruptJobs, resumeJobs } from "./job-runner.ts";
