import { randomBytes } from "node:crypto";
import type { DescribeAutoMLJobCommandOutput } from "@aws-sdk/client-sagemaker";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { bestCandidateOf, candidateToDeploy, createJob, describeJob, problemTypeOf, waitForJob } from "./automl-job.ts";
import { predictInBatch, type BatchResults } from "./batch-predict.ts";
import { cleanUp } from "./cleanup.ts";
import { setUpCustomerIam } from "./customer-iam.ts";
import { classBalance, downloadDataSet, parseTable, readTestSet, sampleFrame, tableOf, toDataFrame, writeDataFiles, type DataFiles, type Table } from "./data-set.ts";
import { deployCandidate } from "./deploy.ts";
import { evaluate, type Evaluation } from "./evaluation.ts";
import { readFeatureImportance, type FeatureImportance } from "./explainability.ts";
import type { FlowContext } from "./flow-context.ts";
import { handOverTrainingData, withdrawDirectGrant } from "./handover.ts";
import { leaderboard, type Leaderboard } from "./leaderboard.ts";
import { hostingNames, jobNameAt } from "./names.ts";
import { predictRows } from "./predict.ts";
import type { TestPredictions } from "./predictions-table.ts";
import { formatEvaluation, formatLeaderboard, formatPredictions } from "./report.ts";
import { setUpSaasIam } from "./saas-iam.ts";

export const STEP_NAMES = ["accounts", "customer-iam", "saas-iam", "data", "assume-role", "upload", "job", "deploy", "predict", "batch", "cleanup"] as const;
export type StepName = (typeof STEP_NAMES)[number];

/** What steps hand back for printing and tests; each step also records what it created in the run state. */
export interface StepResults {
  data?: DataSummary;
  leaderboard?: Leaderboard;
  /** The best candidate's, from the job's explainability report. */
  featureImportance?: FeatureImportance[];
  evaluation?: Evaluation;
  /** The test rows with the endpoint's answers. */
  predictions?: TestPredictions;
  /** The batch step's: the test rows with the transform job's answers, and how they compare with the endpoint's when the predict step ran first. */
  batch?: BatchResults;
}

export interface DataSummary {
  /** The first rows of the whole data set. */
  head: Table;
  rows: number;
  classBalance: Record<string, number>;
  trainRows: number;
  testRows: number;
  files: DataFiles;
}

type Step = (context: FlowContext, results: StepResults) => Promise<void>;

const steps: Record<StepName, Step> = {
  async accounts(context) {
    const accounts = await context.accounts();
    context.settings.log(`  customer account ${accounts.customer}, SaaS account ${accounts.saas}`);
  },

  async "customer-iam"(context) {
    const accounts = await context.accounts();
    const { iam } = context.state.read();
    context.state.update({ iam: { ...iam, customer: true, ...(context.settings.leastPrivilege && { leastPrivilege: true }) } });
    const roles = await setUpCustomerIam(context.customerConfig().iam, {
      names: context.names,
      region: context.settings.target.region,
      customerAccountId: accounts.customer,
      saasAccountId: accounts.saas,
      externalId: context.externalId(),
      leastPrivilege: context.settings.leastPrivilege,
    });
    context.settings.log(`  role ${roles.roleArn} (ExternalId kept in ${context.state.path})`);
    if (roles.executionRoleArn !== roles.roleArn) context.settings.log(`  execution role ${roles.executionRoleArn}`);
  },

  async "saas-iam"(context) {
    const accounts = await context.accounts();
    context.state.update({ iam: { ...context.state.read().iam, saas: true } });
    const { iam } = context.saasConfig();
    await setUpSaasIam(iam, { names: context.names, region: context.settings.target.region, customerAccountId: accounts.customer, saasAccountId: accounts.saas });
    await context.writeUserProfile();
    context.settings.log(`  user ${context.names.user} in ${context.names.group}; profile [${context.names.userProfile}] written to ${context.settings.target.credentialsFile}`);
  },

  async data(context, results) {
    const { s3 } = await context.saasUser();
    // saas_user's first use of its group's policies, which may still be settling.
    const csv = await context.whenIamSettles(`reading the sample data set as ${context.names.user}`, () => downloadDataSet(s3));
    const frame = toDataFrame(parseTable(csv));
    const balance = Object.fromEntries(Object.entries(classBalance(frame, context.names.target)).sort(([a], [b]) => a.localeCompare(b)));
    context.settings.log(`  ${frame.index.length} rows, ${context.names.target}: ${Object.entries(balance).map(([label, n]) => `${label} ${n}`).join(", ")}`);
    const { train, test } = sampleFrame(frame);
    const split = { train: tableOf(train), test: tableOf(test) };
    const files = writeDataFiles(context.dataDir, split);
    context.settings.log(`  ${split.train.rows.length} training rows → ${files.train}; ${split.test.rows.length} test rows → ${files.test}`);
    const whole = tableOf(frame);
    results.data = { head: { header: whole.header, rows: whole.rows.slice(0, 5) }, rows: whole.rows.length, classBalance: balance, trainRows: split.train.rows.length, testRows: split.test.rows.length, files };
  },

  async "assume-role"(context) {
    const { Arn } = await (await context.asRole()).sts.send(new GetCallerIdentityCommand({}));
    context.settings.log(`  acting as ${Arn}`);
  },

  async upload(context) {
    // The role's first use of its S3 policy, which may still be settling; every part of the hand-over can run again.
    const handOver = () => handOverTrainingData(context, context.settings.dataPath);
    await context.whenIamSettles("handing over the training data as the customer's role", handOver);
  },

  async job(context, results) {
    const { sagemaker, s3 } = await context.asRole();
    const { inputUri } = context.state.read();
    if (!inputUri) throw new Error("no training data in the run state: run the upload step first");
    const customerBucket = await context.customerBucket();
    const name = jobNameAt(new Date(), randomBytes(2).toString("hex"));
    context.state.retireJob();
    context.state.update({ jobName: name, outputPrefix: `${context.names.prefix}/output/${name}/` });
    let job: DescribeAutoMLJobCommandOutput;
    try {
      const roleArn = await context.executionRoleArn();
      const create = () => createJob(sagemaker, {
        name,
        inputUri,
        outputUri: `s3://${customerBucket}/${context.names.prefix}/output`,
        target: context.names.target,
        roleArn,
        maxCandidates: context.settings.maxCandidates,
        mode: context.settings.mode,
      });
      // The role's first SageMaker call (and its iam:PassRole), on policies that may still be settling.
      await context.whenIamSettles("creating the Autopilot job as the customer's role", create);
      context.settings.log(`  job ${name}, ${context.settings.mode} mode, MaxCandidates ${context.settings.maxCandidates}`);
      job = await waitForJob(
        sagemaker,
        name,
        (p) => context.settings.log(`  ${p.status} / ${p.secondaryStatus}, ${p.elapsedSeconds} s, ${p.candidates} candidate(s)`),
        context.settings.jobPollMs,
        context.settings.signal,
      );
    } finally {
      // The direct path's grant lasts only as long as the job reads the SaaS bucket.
      await withdrawDirectGrant(context);
    }
    const best = bestCandidateOf(job);
    context.settings.log(`  best ${best.CandidateName}: ${best.FinalAutoMLJobObjectiveMetric?.MetricName} ${best.FinalAutoMLJobObjectiveMetric?.Value?.toFixed(4)} (cross-validation)`);
    results.leaderboard = await leaderboard(sagemaker, job);
    formatLeaderboard(results.leaderboard).forEach(context.settings.log);
    results.featureImportance = await readFeatureImportance(s3, best);
  },

  async deploy(context) {
    const { sagemaker } = await context.asRole();
    const { jobName } = context.state.read();
    if (!jobName) throw new Error("no job in the run state: run the job step first");
    const job = await describeJob(sagemaker, jobName);
    const candidate = await candidateToDeploy(sagemaker, job, context.settings.candidate);
    const names = hostingNames(jobName, context.settings.candidate);
    if (context.state.read().endpoint !== names.endpoint) context.state.retireHosting();
    context.state.update(names);
    const deployment = { names, problemType: problemTypeOf(job), roleArn: await context.executionRoleArn(), instanceType: context.settings.instanceType, maxWaitSeconds: context.settings.endpointWaitSeconds };
    await deployCandidate(sagemaker, candidate, { ...deployment, signal: context.settings.signal });
    context.settings.log(`  endpoint ${names.endpoint} InService with ${candidate.CandidateName}`);
  },

  async predict(context, results) {
    const { runtime } = await context.asRole();
    const { endpoint } = context.state.read();
    if (!endpoint) throw new Error("no endpoint in the run state: run the deploy step first");
    const test = readTestSet(context.dataDir, context.names.target);
    const predictions = await predictRows(runtime, endpoint, test.features.rows);
    results.predictions = { ...test, target: context.names.target, predictions };
    formatPredictions(results.predictions).forEach(context.settings.log);
    results.evaluation = evaluate(test.truth, predictions);
    formatEvaluation(results.evaluation).forEach(context.settings.log);
  },

  async batch(context, results) {
    results.batch = await predictInBatch(context, results.predictions);
  },

  async cleanup(context) {
    await cleanUp(context);
  },
};

export interface StepTiming {
  step: StepName;
  seconds: number;
}

/** Runs the steps in order, printing each with its duration; stops at the first failure. */
export async function runSteps(context: FlowContext, names: readonly StepName[], results: StepResults = {}): Promise<{ results: StepResults; timings: StepTiming[] }> {
  const timings: StepTiming[] = [];
  for (const name of names) {
    context.settings.signal?.throwIfAborted();
    context.settings.log(`▶ ${name}`);
    const started = performance.now();
    await steps[name](context, results);
    const seconds = (performance.now() - started) / 1000;
    timings.push({ step: name, seconds });
    context.settings.log(`✔ ${name} (${seconds.toFixed(2)} s)`);
  }
  return { results, timings };
}
