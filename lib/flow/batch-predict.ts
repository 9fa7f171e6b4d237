import { randomBytes } from "node:crypto";
import { candidateToDeploy, describeJob, problemTypeOf } from "./automl-job.ts";
import { comparePredictions, describeAgreement, parseJoinedOutput, transformOutputKey, type PredictionAgreement } from "./batch-output.ts";
import { createTransformJob, waitForTransformJob } from "./batch-transform.ts";
import { readTestSet, toCsv } from "./data-set.ts";
import { createCandidateModel, inferenceKeysFor } from "./deploy.ts";
import { evaluate, type Evaluation } from "./evaluation.ts";
import type { FlowContext } from "./flow-context.ts";
import { handOver, withdrawDirectGrant, type Handover } from "./handover.ts";
import { batchNames } from "./names.ts";
import type { TestPredictions } from "./predictions-table.ts";
import { formatEvaluation, formatPredictions } from "./report.ts";
import { readText } from "./s3-transfer.ts";

export interface BatchResults {
  predictions: TestPredictions;
  evaluation: Evaluation;
  /** How the transform job's answers compare with the endpoint's, when the predict step ran before. */
  agreement?: PredictionAgreement;
}

/** The file name the test rows are scored under; the job writes `test_features.csv.out`. */
export const TRANSFORM_INPUT_FILE = "test_features.csv";

/** A transform job's folder in the customer's bucket (and, on the copy and direct paths, the SaaS bucket): its input/ and output/. */
export function transformFolder(prefix: string, transformJob: string): { inputKey: string; outputPrefix: string } {
  return { inputKey: `${prefix}/batch/${transformJob}/input/${TRANSFORM_INPUT_FILE}`, outputPrefix: `${prefix}/batch/${transformJob}/output/` };
}

/**
 * The batch step: scores the held-back rows with a transform job on the candidate the deploy step
 * would deploy (--candidate, or the job's best), with a model of its own made as the deploy step
 * makes one. The rows reach the job the run's data-path way (handOver); the output, each answer
 * joined to its row, lands in the customer's bucket, where the role reads it back. Evaluated as
 * the endpoint's answers are, and compared with them row for row when `endpointPredictions` are given.
 */
export async function predictInBatch(context: FlowContext, endpointPredictions?: TestPredictions): Promise<BatchResults> {
  const { settings, names, state } = context;
  const { sagemaker, s3 } = await context.asRole();
  const { jobName } = state.read();
  if (!jobName) throw new Error("no job in the run state: run the job step first");
  const job = await describeJob(sagemaker, jobName);
  const candidate = await candidateToDeploy(sagemaker, job, settings.candidate);
  const batch = batchNames(jobName, randomBytes(2).toString("hex"), settings.candidate);
  const { inputKey, outputPrefix } = transformFolder(names.prefix, batch.transformJob);
  state.retireTransform();
  state.update({ transform: { ...batch, outputPrefix } });

  const problemType = problemTypeOf(job);
  await createCandidateModel(sagemaker, candidate, { model: batch.model, problemType, roleArn: await context.executionRoleArn() });
  const test = readTestSet(context.dataDir, names.target);
  const handover: Handover = {
    key: inputKey,
    csv: toCsv(test.features, false),
    record: (bucket, key) => state.addTransformKeys(bucket === "customer" ? "inputKeys" : "saasInputKeys", [key]),
  };
  const inputUri = await handOver(context, settings.dataPath, handover);
  settings.log(`  ${test.truth.length} test rows (${settings.dataPath} path) at ${inputUri}`);
  const customerBucket = await context.customerBucket();
  let ended;
  try {
    await createTransformJob(sagemaker, { name: batch.transformJob, model: batch.model, inputUri, outputUri: `s3://${customerBucket}/${outputPrefix}`, instanceType: settings.instanceType });
    settings.log(`  transform job ${batch.transformJob}: model ${batch.model} (${candidate.CandidateName}), ${settings.instanceType}`);
    ended = await waitForTransformJob(sagemaker, batch.transformJob, (p) => settings.log(`  ${p.status}, ${p.elapsedSeconds} s`), settings.transformPollMs, settings.signal);
  } finally {
    // The direct path's grant lasts only as long as the job reads the SaaS bucket.
    await withdrawDirectGrant(context);
  }
  if (ended.TransformJobStatus !== "Completed") {
    throw new Error(`transform job ${batch.transformJob} ended ${ended.TransformJobStatus}${ended.FailureReason ? `: ${ended.FailureReason}` : ""}`);
  }

  const outputKey = transformOutputKey(outputPrefix, inputKey);
  const predictions = parseJoinedOutput(await readText(s3, customerBucket, outputKey), test.features.rows, inferenceKeysFor(problemType));
  settings.log(`  output joined to its input rows at s3://${customerBucket}/${outputKey}`);
  const results: BatchResults = { predictions: { ...test, target: names.target, predictions, predictedBy: "the transform job" }, evaluation: evaluate(test.truth, predictions) };
  formatPredictions(results.predictions).forEach(settings.log);
  formatEvaluation(results.evaluation).forEach(settings.log);
  if (endpointPredictions) {
    results.agreement = comparePredictions(endpointPredictions.predictions, predictions);
    settings.log(`  ${describeAgreement(results.agreement)}`);
    // The same model on the same rows: any difference is a defect to look into, not a result.
    if (results.agreement.differing.length > 0) throw new Error(`${describeAgreement(results.agreement)}, though they ran the same model on the same rows`);
  }
  return results;
}
