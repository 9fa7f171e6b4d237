import { AwsError } from "../../errors.ts";
import type { Store } from "../../store/store.ts";
import { loadedModels, loadModel } from "./inference.ts";
import { endpointConfigNamed, endpointNamed, modelNamed, regionOf, sagemakerTable, type EndpointRecord, type ModelRecord } from "./state.ts";

/** How long an endpoint stays Creating/Updating (Deleting) before it is served (gone), so clients see the transitions their waiters expect. */
const TRANSITION_MS = 250;

export interface DeployContext {
  store: Store;
  accountIds: readonly string[];
  /** The region of the job or endpoint the work is for (its ARN's): its records are looked up there. */
  region: string;
  now: () => Date;
  /** See LocalAwsConfig.autopilotEnsemblingMaxBytes. */
  ensemblingMaxBytes: number;
}

const pending = new WeakMap<Store, Set<NodeJS.Timeout>>();

function afterTransition(store: Store, work: () => Promise<void>): void {
  const timers = pending.get(store) ?? new Set<NodeJS.Timeout>();
  pending.set(store, timers);
  const timer = setTimeout(() => {
    timers.delete(timer);
    work().catch((error: unknown) => console.error("local-aws: endpoint transition crashed:", error));
  }, TRANSITION_MS);
  timers.add(timer);
}

/** Loads the endpoint's model in the background, then marks it InService, or Failed with the reason. */
export function startDeployment(deps: DeployContext, accountId: string, endpointName: string, model: ModelRecord, variantName: string): void {
  afterTransition(deps.store, () => deploy(deps, accountId, endpointName, model, variantName));
}

/** An endpoint marked Deleting goes away in the background ("Deleting: DeleteEndpoint is executing", DescribeEndpoint). */
export function startDeletion(deps: DeployContext, accountId: string, endpointName: string): void {
  afterTransition(deps.store, async () => removeEndpoint(deps, accountId, endpointName));
}

function removeEndpoint(deps: DeployContext, accountId: string, endpointName: string): void {
  sagemakerTable(deps.store).update(accountId, (state) => {
    const gone = endpointNamed(state, deps.region, endpointName);
    state.endpoints = state.endpoints.filter((endpoint) => endpoint !== gone);
  });
}

/** Server shutdown: transitions not made yet stay Creating/Updating/Deleting, and are made at the next start. */
export function cancelDeployments(store: Store): void {
  for (const timer of pending.get(store) ?? []) clearTimeout(timer);
  pending.delete(store);
}

async function deploy(deps: DeployContext, accountId: string, endpointName: string, model: ModelRecord, variantName: string): Promise<void> {
  let outcome: Pick<EndpointRecord, "EndpointStatus" | "FailureReason">;
  try {
    const loaded = await loadModel(deps.store, deps.region, deps.now, model);
    const endpoint = endpointNamed(sagemakerTable(deps.store).read(accountId), deps.region, endpointName);
    if (!endpoint) return;
    loadedModels(deps.store).set(endpoint.EndpointArn, loaded);
    outcome = { EndpointStatus: "InService" };
  } catch (error) {
    // Whatever went wrong, the endpoint ends Failed (and can be deleted) rather than Creating for ever.
    if (!(error instanceof AwsError)) console.error("local-aws: loading a model failed unexpectedly:", error);
    outcome = { EndpointStatus: "Failed", FailureReason: error instanceof Error ? error.message : String(error) };
  }
  sagemakerTable(deps.store).update(accountId, (state) => {
    const endpoint = endpointNamed(state, deps.region, endpointName);
    if (!endpoint) return;
    endpoint.EndpointStatus = outcome.EndpointStatus;
    if (outcome.FailureReason) endpoint.FailureReason = outcome.FailureReason;
    else delete endpoint.FailureReason;
    endpoint.deployed = { VariantName: variantName, model };
    endpoint.LastModifiedTime = deps.now().toISOString();
  });
}

/**
 * After a restart: endpoints caught Creating/Updating are deployed again, those caught Deleting are
 * removed; each in its own region, the one its ARN names, with that region's config and model.
 */
export function resumeDeployments(deps: DeployContext): void {
  for (const accountId of deps.accountIds) {
    const state = sagemakerTable(deps.store).read(accountId);
    for (const endpoint of state.endpoints) {
      const own = { ...deps, region: regionOf(endpoint.EndpointArn) };
      if (endpoint.EndpointStatus === "Deleting") removeEndpoint(own, accountId, endpoint.EndpointName);
      if (endpoint.EndpointStatus !== "Creating" && endpoint.EndpointStatus !== "Updating") continue;
      const variant = endpointConfigNamed(state, own.region, endpoint.EndpointConfigName)?.ProductionVariants[0];
      const model = variant && modelNamed(state, own.region, variant.ModelName);
      if (variant && model) startDeployment(own, accountId, endpoint.EndpointName, model, variant.VariantName);
      else {
        sagemakerTable(deps.store).update(accountId, (current) => {
          const record = endpointNamed(current, own.region, endpoint.EndpointName)!;
          record.EndpointStatus = "Failed";
          record.FailureReason = "The endpoint configuration or its model was deleted before the endpoint was deployed.";
        });
      }
    }
  }
}
