import { ServiceRoleSession } from "../../auth/service-roles.ts";
import { AwsError } from "../../errors.ts";
import type { Store } from "../../store/store.ts";
import { readObjectAs } from "../s3/service-access.ts";
import { AUTOPILOT_REPOSITORIES, imageRole } from "./serving/images.ts";
import { buildModel, loadFailure, type ContainerData, type LoadedModel } from "./serving/model.ts";
import type { ContainerRecord, ModelRecord } from "./state.ts";

export const SAGEMAKER_PRINCIPAL = "sagemaker.amazonaws.com";

const loadedByStore = new WeakMap<Store, Map<string, LoadedModel>>();

export function loadedModels(store: Store): Map<string, LoadedModel> {
  let loaded = loadedByStore.get(store);
  if (!loaded) {
    loaded = new Map();
    loadedByStore.set(store, loaded);
  }
  return loaded;
}

/**
 * Loads each container's model data from S3 as the model's execution role, the way a SageMaker
 * endpoint pulls ModelDataUrl; fails with a reason a user can act on when it cannot.
 */
export async function loadModel(store: Store, region: string, now: () => Date, record: ModelRecord): Promise<LoadedModel> {
  return buildModel(record.ModelName, await fetchModelData(store, region, now, record));
}

/** Each container's model data read as the model's execution role. */
export async function fetchModelData(store: Store, region: string, now: () => Date, record: ModelRecord): Promise<ContainerData[]> {
  const session = ServiceRoleSession.assume(store, { arn: record.ExecutionRoleArn, servicePrincipal: SAGEMAKER_PRINCIPAL, sessionName: "SageMaker" }, region, now);
  const fetched = [];
  for (const [i, container] of record.containers.entries()) {
    // SageMaker names a single container "primary" in its errors; pipeline containers by position.
    const hostname = record.containers.length === 1 ? "primary" : `container-${i + 1}`;
    fetched.push({ hostname, container, data: await readModelData(store, session, record, container) });
  }
  return fetched;
}

async function readModelData(store: Store, session: ServiceRoleSession, record: ModelRecord, container: ContainerRecord): Promise<string> {
  if (!imageRole(container.Image)) {
    const images = Object.values(AUTOPILOT_REPOSITORIES).join(", ");
    throw loadFailure(`Model ${record.ModelName}: image ${container.Image} is not one the local AWS can run; it runs the images its Autopilot names in InferenceContainers (${images}).`);
  }
  if (!container.ModelDataUrl) throw loadFailure(`Model ${record.ModelName} has no ModelDataUrl for its container ${container.Image}.`);
  try {
    return (await readObjectAs(store, session, container.ModelDataUrl)).toString("utf8");
  } catch (error) {
    if (error instanceof AwsError) throw loadFailure(`Failed to download model data from ${container.ModelDataUrl} as ${record.ExecutionRoleArn}: ${error.code}: ${error.message}`);
    throw error;
  }
}

