import {
  DeleteEndpointCommand,
  DeleteEndpointConfigCommand,
  DeleteModelCommand,
  DescribeAutoMLJobV2Command,
  waitUntilEndpointDeleted,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { stopJob } from "./automl-job.ts";
import { stopTransformJob, transformJobEnded } from "./batch-transform.ts";
import { removing, type CleanupAction } from "./cleanup-report.ts";
import type { HostingNames } from "./names.ts";

/** Autopilot's statuses of a job that has ended. */
const ENDED = new Set(["Completed", "Failed", "Stopped"]);

/**
 * Stops the job if it still runs. SageMaker has no way to delete a job: an ended one is kept (it
 * costs nothing), and one not found was never made (the run records its name before creating it),
 * which is not worth a line. DescribeAutoMLJobV2 describes V1 jobs too, and is the one moto implements.
 */
export function jobStop(sagemaker: SageMakerClient, name: string, pollMs: number): CleanupAction {
  return {
    what: `job ${name}`,
    verb: "stop",
    ifPresent: true,
    run: async () => {
      const { AutoMLJobStatus = "?" } = await sagemaker.send(new DescribeAutoMLJobV2Command({ AutoMLJobName: name }));
      if (ENDED.has(AutoMLJobStatus)) return { kept: `it ended ${AutoMLJobStatus}; SageMaker keeps ended jobs, at no cost` };
      await stopJob(sagemaker, name, pollMs);
      return "stopped";
    },
  };
}

/**
 * Stops the transform job if it still runs. As with Autopilot jobs, SageMaker cannot delete one: an
 * ended one is kept, and one not found was never made (its name is recorded before it is created).
 */
export function transformJobStop(sagemaker: SageMakerClient, name: string, pollMs: number): CleanupAction {
  return {
    what: `transform job ${name}`,
    verb: "stop",
    ifPresent: true,
    run: async () => {
      const found = await stopTransformJob(sagemaker, name, pollMs);
      return transformJobEnded(found) ? { kept: `it ended ${found}; SageMaker keeps ended transform jobs, at no cost` } : "stopped";
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
