import type { OperationContext } from "../../service.ts";
import type { DeployContext } from "./deploy.ts";

/** What background work (deployments, jobs) needs from the request that started it. */
export function deployContext(ctx: OperationContext): DeployContext {
  return { store: ctx.store, accountIds: ctx.config.accounts.map((account) => account.id), region: ctx.region, now: ctx.now, ensemblingMaxBytes: ctx.config.autopilotEnsemblingMaxBytes };
}
