import { ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION, ArtifactError, ENGINE_VERSION, type AutoMLArtifact, type InputColumn } from "./artifact.ts";
import { encodeFeatures, featureColumns, type EncodedFeatures, type FeatureColumn } from "./encoding.ts";
import { locateRows, scoreRows, type PredictionInput, type RowScore } from "./predict.ts";
import { loadPredictor, type PredictorSpec } from "./predictor.ts";
import { PROBLEM_TYPES, type ProblemType } from "./problem.ts";

/**
 * A candidate cut into the two models of Autopilot's hyperparameter-tuning pipeline: a data
 * processor (the input columns, the feature transform, the labels for the inverse label
 * transform) and an algorithm (the trained predictor over transformed features). Autopilot serves
 * the data processor twice, as the pipeline's first and last container, and the algorithm between.
 */
export const STAGE_FORMAT = "local-autopilot-stage";
/** Version 2 adds the algorithm's `decisionThreshold` and mapped predictors (see ARTIFACT_FORMAT_VERSION); version 1 stages still load. */
export const STAGE_FORMAT_VERSION = 2;
const READABLE_STAGE_VERSIONS: readonly number[] = [1, 2];

interface StageEnvelope {
  format: typeof STAGE_FORMAT;
  formatVersion: number;
  engineVersion: string;
  problemType: ProblemType;
}

/** Every candidate of a job reads its rows the same way, so one data processor serves them all. */
export interface DataProcessorArtifact extends StageEnvelope {
  stage: "data-processor";
  target: string;
  /** The training columns in file order, with their roles: which fields of a row are features. */
  inputColumns: InputColumn[];
  /** Classification labels as the model artifact lists them; class index i means labels[i]. Empty for regression. */
  labels: string[];
}

export interface AlgorithmArtifact extends StageEnvelope {
  stage: "algorithm";
  candidate: AutoMLArtifact["candidate"];
  objective: AutoMLArtifact["objective"];
  /** The transformed features' layout: the data processor's output columns. */
  features: FeatureColumn[];
  classes: number;
  predictor: PredictorSpec;
  /** Binary: class 1 is predicted when its probability exceeds this (0.5 when absent). */
  decisionThreshold?: number;
}

export type StageArtifact = DataProcessorArtifact | AlgorithmArtifact;

export function splitIntoStages(artifact: AutoMLArtifact): { dataProcessor: DataProcessorArtifact; algorithm: AlgorithmArtifact } {
  const envelope = { format: STAGE_FORMAT, formatVersion: STAGE_FORMAT_VERSION, engineVersion: ENGINE_VERSION, problemType: artifact.problemType } as const;
  return {
    dataProcessor: { ...envelope, stage: "data-processor", target: artifact.target, inputColumns: artifact.inputColumns, labels: artifact.labels },
    algorithm: {
      ...envelope,
      stage: "algorithm",
      candidate: artifact.candidate,
      objective: artifact.objective,
      features: featureColumns(artifact.inputColumns),
      classes: artifact.labels.length,
      predictor: artifact.predictor,
      ...(artifact.decisionThreshold !== undefined && { decisionThreshold: artifact.decisionThreshold }),
    },
  };
}

/** The candidate whole again, as one model artifact: what a single container would serve. */
export function joinStages(dataProcessor: DataProcessorArtifact, algorithm: AlgorithmArtifact): AutoMLArtifact {
  return {
    format: ARTIFACT_FORMAT,
    formatVersion: ARTIFACT_FORMAT_VERSION,
    engineVersion: algorithm.engineVersion,
    candidate: algorithm.candidate,
    problemType: algorithm.problemType,
    target: dataProcessor.target,
    labels: dataProcessor.labels,
    ...(algorithm.decisionThreshold !== undefined && { decisionThreshold: algorithm.decisionThreshold }),
    objective: algorithm.objective,
    inputColumns: dataProcessor.inputColumns,
    predictor: algorithm.predictor,
  };
}

export function parseStageArtifact(json: string): StageArtifact {
  let value: Partial<StageArtifact> | null;
  try {
    value = JSON.parse(json) as Partial<StageArtifact> | null;
  } catch (error) {
    throw new ArtifactError(`The model data is not valid JSON: ${(error as Error).message}`);
  }
  if (value?.format !== STAGE_FORMAT) throw new ArtifactError(`Not a pipeline stage of this engine (expected format "${STAGE_FORMAT}").`);
  if (!READABLE_STAGE_VERSIONS.includes(value.formatVersion as number)) {
    throw new ArtifactError(`Stage format version ${value.formatVersion} is not supported (this engine reads versions ${READABLE_STAGE_VERSIONS.join(" and ")}).`);
  }
  if (!PROBLEM_TYPES.includes(value.problemType as ProblemType)) throw new ArtifactError(`The stage's problem type "${value.problemType}" is unknown.`);
  if (value.stage === "data-processor" && Array.isArray(value.inputColumns) && Array.isArray(value.labels)) return value as DataProcessorArtifact;
  if (value.stage === "algorithm" && Array.isArray(value.features) && typeof value.predictor?.kind === "string" && typeof value.candidate?.name === "string") return value as AlgorithmArtifact;
  throw new ArtifactError(`The stage "${String(value.stage)}" is unknown or lacks its fields.`);
}

/**
 * The feature transform: each row's feature fields, read as training read them, written back as
 * text: numbers in full precision, flags as 1/0, dates as days since 1970-01-01, categories
 * trimmed, missing values empty.
 */
export function transformFeatures(processor: DataProcessorArtifact, input: PredictionInput): string[][] {
  const features = featureColumns(processor.inputColumns);
  const { rows, fieldIndex } = locateRows(processor.inputColumns, input);
  return writeFeatures(encodeFeatures(rows, features, fieldIndex));
}

function writeFeatures(encoded: EncodedFeatures): string[][] {
  return Array.from({ length: encoded.rows }, (_, row) =>
    encoded.columns.map((column) => {
      if (column.kind === "categorical") {
        const code = column.codes[row]!;
        return code < 0 ? "" : column.dictionary[code]!;
      }
      const value = column.values[row]!;
      return Number.isNaN(value) ? "" : String(value);
    }),
  );
}

export interface LoadedAlgorithm {
  artifact: AlgorithmArtifact;
  /** Scores rows of transformed features (the feature transform's output), one field per feature. */
  score(rows: string[][]): RowScore[];
}

export function loadAlgorithm(artifact: AlgorithmArtifact): LoadedAlgorithm {
  const predictor = loadPredictor(artifact.predictor);
  // Flags arrive as 1/0 and dates as days since 1970-01-01 from the feature transform: they read as numbers here.
  const asWritten = artifact.features.map((feature): FeatureColumn => ({ name: feature.name, kind: feature.kind === "boolean" ? "numeric" : feature.kind }));
  const layout = asWritten.map(({ name, kind }) => ({ name, kind, role: "feature" as const }));
  return {
    artifact,
    score: (rows) => {
      const { rows: located, fieldIndex } = locateRows(layout, rows);
      return scoreRows(artifact.problemType, artifact.classes, predictor.predict(encodeFeatures(located, asWritten, fieldIndex)), located.length, artifact.decisionThreshold);
    },
  };
}
