import type { Task } from "./learners/types.ts";

export const PROBLEM_TYPES = ["BinaryClassification", "MulticlassClassification", "Regression"] as const;
export type ProblemType = (typeof PROBLEM_TYPES)[number];

/** The learners' view of a problem: binary, `classes`-way multiclass, or regression. */
export function taskFor(problemType: ProblemType, classes: number): Task {
  if (problemType === "BinaryClassification") return { kind: "binary" };
  if (problemType === "MulticlassClassification") return { kind: "multiclass", classes };
  return { kind: "regression" };
}
