import type { OutputMap } from "../output-maps.ts";
import type { PredictorSpec } from "../predictor.ts";
import type { FitSpec } from "./fit-task.ts";

/**
 * What to train on every row to refit a candidate, shaped as the predictor it becomes: its own
 * fit (with the iteration count validation settled on), or an ensemble's weighted members, each
 * behind the calibration validation fitted.
 */
export type RefitPlan =
  | { kind: "fit"; spec: FitSpec }
  | { kind: "average"; members: RefitPlan[]; weights?: number[] }
  | { kind: "mapped"; base: RefitPlan; map: OutputMap };

/** The plan's predictor, its fits run by `fit` all at once. */
export async function runRefitPlan(plan: RefitPlan, fit: (spec: FitSpec) => Promise<PredictorSpec>): Promise<PredictorSpec> {
  if (plan.kind === "fit") return fit(plan.spec);
  if (plan.kind === "mapped") return { kind: "mapped", base: await runRefitPlan(plan.base, fit), map: plan.map };
  const members = await Promise.all(plan.members.map((member) => runRefitPlan(member, fit)));
  return { kind: "average", members, ...(plan.weights && { weights: plan.weights }) };
}

/** The plan or predictor behind an output map, when there is one. */
export function behindMap<T extends RefitPlan | PredictorSpec>(base: T, map: OutputMap | undefined): T | { kind: "mapped"; base: T; map: OutputMap } {
  return map ? { kind: "mapped", base, map } : base;
}
