import type { ColumnProfile } from "./analysis/index.ts";
import type { Algorithm, Params } from "./learners/types.ts";
import { isMetricName, type MetricName } from "./metrics.ts";
import { PROBLEM_TYPES, type ProblemType } from "./problem.ts";
import type { PredictorSpec } from "./predictor.ts";

export const ARTIFACT_FORMAT = "local-autopilot-model";
/**
 * Bumped whenever a field changes meaning; loading refuses other versions rather than guessing.
 * Version 2: binary labels ordered [negative, positive] (the positive class, by default the
 * minority, is labels[1]; version 1 listed them sorted, the second being positive, which reads
 * the same way), `decisionThreshold`, and predictors whose output is mapped (calibration, log
 * targets). Version 1 artifacts still load, with the 0.5 threshold.
 */
export const ARTIFACT_FORMAT_VERSION = 2;
export const READABLE_ARTIFACT_VERSIONS: readonly number[] = [1, 2];
export const ENGINE_VERSION = "0.1.0";

/** A training column and the role it played; date columns say how they write dates (added without a version bump: older artifacts have no dates). */
export type InputColumn = Pick<ColumnProfile, "name" | "kind" | "role" | "dateOrder">;

/** A candidate as plain JSON: everything needed to predict from raw rows, and what it is. */
export interface AutoMLArtifact {
  format: typeof ARTIFACT_FORMAT;
  formatVersion: number;
  engineVersion: string;
  candidate: {
    name: string;
    algorithm: Algorithm | "ensemble";
    hyperparameters: Params;
    /** True when trained on every row after the search; false for the model as validated (its fold models averaged). */
    refitted: boolean;
  };
  problemType: ProblemType;
  target: string;
  /**
   * Classification labels; class index i means labels[i]. Sorted for multiclass; for binary
   * [negative, positive]. Empty for regression.
   */
  labels: string[];
  /**
   * Binary only: a row is labelled labels[1] (the positive class) when its probability of it
   * exceeds this; tuned on validation for objectives that gain from it. 0.5 when absent.
   */
  decisionThreshold?: number;
  objective: { metric: MetricName; direction: "maximize" | "minimize"; validationValue: number };
  /** The training data's columns in file order, with the role each played. */
  inputColumns: InputColumn[];
  predictor: PredictorSpec;
}

export class ArtifactError extends Error {
  override name = "ArtifactError";
}

/** Parses and checks an artifact's envelope; the models inside are checked when loaded. */
export function parseArtifact(json: string | object): AutoMLArtifact {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new ArtifactError(`The model artifact is not valid JSON: ${(error as Error).message}`);
    }
  }
  const artifact = value as Partial<AutoMLArtifact> | null;
  if (artifact?.format !== ARTIFACT_FORMAT) throw new ArtifactError(`Not a model artifact of this engine (expected format "${ARTIFACT_FORMAT}").`);
  if (!READABLE_ARTIFACT_VERSIONS.includes(artifact.formatVersion as number)) {
    throw new ArtifactError(`Model artifact format version ${artifact.formatVersion} is not supported (this engine reads versions ${READABLE_ARTIFACT_VERSIONS.join(" and ")}).`);
  }
  if (artifact.decisionThreshold !== undefined && !(typeof artifact.decisionThreshold === "number" && Number.isFinite(artifact.decisionThreshold))) {
    throw new ArtifactError("The artifact's decision threshold is not a number.");
  }
  if (!PROBLEM_TYPES.includes(artifact.problemType as ProblemType)) throw new ArtifactError(`The artifact's problem type "${artifact.problemType}" is unknown.`);
  if (!isMetricName(artifact.objective?.metric ?? "")) throw new ArtifactError("The artifact's objective metric is missing or unknown.");
  if (!Array.isArray(artifact.inputColumns) || !Array.isArray(artifact.labels) || typeof artifact.predictor?.kind !== "string") {
    throw new ArtifactError("The artifact lacks its input columns, labels or predictor.");
  }
  return artifact as AutoMLArtifact;
}
