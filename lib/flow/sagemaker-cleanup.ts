import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeAutoMLJobV2Command,
  waitUntilEndpointDeleted,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { stopJob } from "./automl-job.ts";
import { removing, type CleanupAction } from "./cleanup-report.ts";
import type { HostingNames } from "./names.ts";

/** Autopilot's statuses of a job that has ended. */
const ENDED = new Set(["Completed", "Failed", "Stopped"]);

/**
 * Stops the job if it still runs. SageMaker has no way to delete a job: an ended one is kept (it
 * costs nothing). DescribeAutoMLJobV2 describes V1 jobs too, and is the one moto implements.
 */
export function jobStop(sagemaker: SageMakerClient, name: string, pollMs: number): CleanupAction {
  return {
    what: `job ${name}`,
    verb: "stop",
    run: async () => {
      const { AutoMLJobStatus = "?" } = await sagemaker.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: name }));
      if (ENDED.has(AutoMLJobStatus)) return { kept: `it ended ${AutoMLJobStatus}; SageMaker keeps ended jobs, at no cost` };
      await stopJob(sagemaker, name, pollMs);
      return "stopped";
    },
  };
}

/** The endpoint (waiting until it is gone), its config, the model (the blog forgets the last two): three independent actions. */
export function hostingRemovals(sagemaker: SageMakerClient, names: Partial<HostingNames>, maxWaitSeconds: number): CleanupAction[] {
  const { endpoint, endpointConfig, model } = names;
  return [
    ...(endpoint
      ? [{
          what: `endpoint ${endpoint}`,
          run: removing(async () => {
            await sagemaker.send(new DeleteEndpointCommand({ EndpointName: endpoint }));
            await waitUntilEndpointDeleted({ client: sagemaker, minDelay: 1, maxDelay: 10, maxWaitTime: maxWaitSeconds }, { EndpointName: endpoint });
          }),
        }]
      : []),
    ...(endpointConfig ? [{ what: `endpoint config ${endpointConfig}`, run: removing(() => sagemaker.send(new DeleteEndpointConfigCommand({ EndpointConfigName: endpointConfig }))) }] : []),
    ...(model ? [{ what: `model ${model}`, run: removing(() => sagemaker.send(new DeleteModelCommand({ ModelName: model }))) }] : []),
  ];
}
