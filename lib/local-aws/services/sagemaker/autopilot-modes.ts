import { createHash } from "node:crypto";
import type { LeaderboardEntry } from "../../../automl/index.ts";
import { autopilotImage } from "./serving/images.ts";
import { sagemakerArn, type CandidateRecord } from "./state.ts";

/**
 * Autopilot's training modes (AWS developer guide, "Training modes and algorithm support",
 * autopilot-model-support-validation.html; API reference, AutoMLJobConfig.Mode). AUTO picks
 * ENSEMBLING for data sets smaller than 100 MB and HYPERPARAMETER_TUNING for larger ones.
 */
export const AUTOML_MODES = ["AUTO", "ENSEMBLING", "HYPERPARAMETER_TUNING"] as const;
export type AutoMLMode = (typeof AUTOML_MODES)[number];
export type TrainingMode = Exclude<AutoMLMode, "AUTO">;

/**
 * `ensemblingMaxBytes` is AUTO's line, 100 MB unless the local AWS is configured otherwise
 * (LocalAwsConfig): "If your dataset is larger than 100 MB, Autopilot chooses HPO. Otherwise, it
 * chooses ensembling mode."
 */
export function resolveMode(requested: AutoMLMode, inputBytes: number, ensemblingMaxBytes: number): TrainingMode {
  if (requested !== "AUTO") return requested;
  return inputBytes <= ensemblingMaxBytes ? "ENSEMBLING" : "HYPERPARAMETER_TUNING";
}

/**
 * Candidates when MaxCandidates is not given: "ensemble mode runs 10 trials"; "HPO mode runs up
 * to 100 trials (default)" (autopilot-model-support-validation.html).
 */
export const DEFAULT_MAX_CANDIDATES: Record<TrainingMode, number> = { ENSEMBLING: 10, HYPERPARAMETER_TUNING: 100 };

/** How the engine lists candidates in each mode: a weighted ensemble per trial, or the tuned candidates alone. */
export const ENGINE_ENSEMBLING = { ENSEMBLING: "trials", HYPERPARAMETER_TUNING: "none" } as const;

const hex = (text: string, length: number) => createHash("sha256").update(text).digest("hex").slice(0, length);

export interface JobNaming {
  region: string;
  accountId: string;
  jobName: string;
  /** s3://bucket/prefix/<job>: where the job's outputs go. */
  outputBase: string;
  problemType: string;
}

/** AutoGluon's preprocessing of the HPO mode's data processing pipelines: dpp0 feeds trees, dpp1 scaled learners. */
const dataProcessingPipeline = (entry: LeaderboardEntry) => (entry.algorithm === "gbdt" ? "dpp0" : "dpp1");
const ALGORITHM_NAMES: Record<string, string> = { gbdt: "xgb", linear: "linear-learner", mlp: "mlp" };

/**
 * A candidate's name, steps and inference containers as Autopilot hands them out in each mode.
 * HPO names follow the tuning job's training jobs (`<job><tag>-<trial>-<8 hex>`, as in AWS's churn
 * example: `tuning-job-1-3572d1c0effe4c2db9-017-ab2e9b77`); ensembling names the trial's stacked
 * model (`WeightedEnsemble-L2-FULL-t<trial>`, as the console shows; the suffix is not documented).
 */
export function candidateShape(mode: TrainingMode, naming: JobNaming, entry: LeaderboardEntry): Pick<CandidateRecord, "CandidateName" | "CandidateSteps" | "InferenceContainers"> & { modelObjects: Record<string, string> } {
  const { region, accountId, jobName, outputBase } = naming;
  const trial = String(entry.trial);
  const jobTag = hex(`${accountId}/${jobName}`, 6);
  const prefix = jobName.slice(0, 10);
  const analysisJob = `${prefix}-db-1-${hex(`${jobTag}/db`, 32)}`;
  const analysisStep = { CandidateStepType: "AWS::SageMaker::ProcessingJob", CandidateStepArn: sagemakerArn(region, accountId, "processing-job", analysisJob), CandidateStepName: analysisJob };
  const trainingStep = (name: string) => ({ CandidateStepType: "AWS::SageMaker::TrainingJob", CandidateStepArn: sagemakerArn(region, accountId, "training-job", name), CandidateStepName: name });

  if (mode === "ENSEMBLING") {
    const name = `WeightedEnsemble-L2-FULL-t${trial}-${jobName}`.slice(0, 64);
    const modelDataUrl = `${outputBase}/sagemaker-automl-candidates/model/${name}/model.json`;
    return {
      CandidateName: name,
      CandidateSteps: [analysisStep, trainingStep(name)],
      InferenceContainers: entry.status === "Completed" ? [{ Image: autopilotImage(region, "ensemble"), ModelDataUrl: modelDataUrl, Environment: ensembleEnvironment(naming.problemType) }] : [],
      modelObjects: { ensemble: modelDataUrl },
    };
  }

  const name = `${jobName.slice(0, 20)}${jobTag}-${trial.padStart(3, "0")}-${hex(`${jobTag}/${entry.name}`, 8)}`;
  const dpp = dataProcessingPipeline(entry);
  const dppJob = `${prefix}-${dpp}-1-${hex(`${jobTag}/${dpp}`, 32)}`.slice(0, 63);
  const transformJob = `${prefix}-${dpp}-rpb-1-${hex(`${jobTag}/${dpp}/rpb`, 28)}`.slice(0, 63);
  const processorUrl = `${outputBase}/data-processor-models/${dppJob}/output/model.json`;
  const algorithmUrl = `${outputBase}/tuning/${prefix}-${dpp}-${ALGORITHM_NAMES[entry.algorithm] ?? entry.algorithm}/${name}/output/model.json`;
  const regression = naming.problemType === "Regression";
  const processor = autopilotImage(region, "dataProcessor");
  const containers = [
    { Image: processor, ModelDataUrl: processorUrl, Environment: FEATURE_TRANSFORM_ENVIRONMENT },
    { Image: autopilotImage(region, "algorithm"), ModelDataUrl: algorithmUrl, Environment: algorithmEnvironment(regression) },
    ...(regression ? [] : [{ Image: processor, ModelDataUrl: processorUrl, Environment: INVERSE_LABEL_ENVIRONMENT }]),
  ];
  return {
    CandidateName: name,
    CandidateSteps: [
      analysisStep,
      trainingStep(dppJob),
      { CandidateStepType: "AWS::SageMaker::TransformJob", CandidateStepArn: sagemakerArn(region, accountId, "transform-job", transformJob), CandidateStepName: transformJob },
      trainingStep(name),
    ],
    InferenceContainers: entry.status === "Completed" ? containers : [],
    modelObjects: { dataProcessor: processorUrl, algorithm: algorithmUrl },
  };
}

/*
 * The containers' Environment, as the developer guide's "Configure inference output in generated
 * containers" and "Batch inferencing" pages print them for HPO classification. Two differences,
 * both because the local containers speak CSV between them: the feature transform answers text/csv
 * (AWS's answers application/x-recordio-protobuf), so AUTOML_SPARSE_ENCODE_RECORDIO_PROTOBUF is
 * absent. AWS does not print the regression algorithm's or the ensembling container's variables in
 * full: both list the keys their problem type can answer.
 */
const SERVE = { SAGEMAKER_PROGRAM: "sagemaker_serve", SAGEMAKER_SUBMIT_DIRECTORY: "/opt/ml/model/code" };

const FEATURE_TRANSFORM_ENVIRONMENT = { AUTOML_TRANSFORM_MODE: "feature-transform", SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT: "text/csv", ...SERVE };

const INVERSE_LABEL_ENVIRONMENT = {
  AUTOML_TRANSFORM_MODE: "inverse-label-transform",
  SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT: "text/csv",
  SAGEMAKER_INFERENCE_INPUT: "predicted_label",
  SAGEMAKER_INFERENCE_OUTPUT: "predicted_label",
  SAGEMAKER_INFERENCE_SUPPORTED: "predicted_label,probability,labels,probabilities",
  ...SERVE,
};

function algorithmEnvironment(regression: boolean): Record<string, string> {
  return {
    MAX_CONTENT_LENGTH: "20971520",
    SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT: "text/csv",
    SAGEMAKER_INFERENCE_OUTPUT: "predicted_label",
    SAGEMAKER_INFERENCE_SUPPORTED: regression ? "predicted_label" : "predicted_label,probability,probabilities",
  };
}

function ensembleEnvironment(problemType: string): Record<string, string> {
  return {
    MODEL_NAME: "WeightedEnsemble-L2-FULL",
    SAGEMAKER_DEFAULT_INVOCATIONS_ACCEPT: "text/csv",
    SAGEMAKER_INFERENCE_OUTPUT: "predicted_label",
    SAGEMAKER_INFERENCE_SUPPORTED: problemType === "Regression" ? "predicted_label" : "predicted_label,probability,probabilities,labels",
    SAGEMAKER_PROGRAM: "tabular_serve.py",
    SAGEMAKER_SUBMIT_DIRECTORY: "/opt/ml/model/code",
  };
}
