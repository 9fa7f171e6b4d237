import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { AutoMLCandidate } from "@aws-sdk/client-sagemaker";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { bestCandidateOf, candidateToDeploy, createJob, describeJob, leaderboard, waitForJob, type LeaderboardRow } from "./automl-job.ts";
import { cleanUp } from "./cleanup.ts";
import { setUpCustomerIam } from "./customer-iam.ts";
import { classBalance, dataFiles, downloadDataSet, parseTable, sampleFrame, separateTarget, tableOf, toDataFrame, writeDataFiles, type DataFiles, type Table } from "./data-set.ts";
import { deployCandidate } from "./deploy.ts";
import { evaluate, type Evaluation } from "./evaluation.ts";
import { readFeatureImportance, type FeatureImportance } from "./explainability.ts";
import type { FlowContext } from "./flow-context.ts";
import { hostingNames, jobNameAt } from "./names.ts";
import { predictRows } from "./predict.ts";
import { formatEvaluation, formatLeaderboard } from "./report.ts";
import { copyAcrossAccounts, ensureBucket, grantRoleAccess, putCsv, revokeRoleAccess, type DataPath } from "./s3-transfer.ts";
import { setUpSaasIam } from "./saas-iam.ts";

export const STEP_NAMES = ["accounts", "customer-iam", "saas-iam", "data", "assume-role", "upload", "job", "deploy", "predict", "cleanup"] as const;
export type StepName = (typeof STEP_NAMES)[number];

/** What steps hand back for printing and tests; each step also records what it created in the run state. */
export interface StepResults {
  data?: DataSummary;
  leaderboard?: LeaderboardRow[];
  /** The best candidate's, from the job's explainability report. */
  featureImportance?: FeatureImportance[];
  evaluation?: Evaluation;
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

/**
 * Puts the training data where the job will read it, one of the blog's three ways: uploaded by the role
 * into the customer's bucket (local), copied from the SaaS bucket into it (copy), or read by the job
 * straight from the SaaS bucket under a bucket policy that lasts as long as the job (direct).
 */
export async function handOverTrainingData(context: FlowContext, dataPath: DataPath): Promise<void> {
  const role = await context.asRole();
  const customerBucket = await context.customerBucket();
  const key = `${context.names.prefix}/train/train_data.csv`;
  const csv = readFileSync(dataFiles(context.dataDir).train, "utf8");
  context.state.update({ customerBucket });
  if (await ensureBucket(role.s3, customerBucket, context.settings.target.region)) context.state.update({ createdCustomerBucket: true });

  if (dataPath === "local") {
    context.state.addKeys("customerKeys", [key]);
    await putCsv(role.s3, customerBucket, key, csv);
    context.state.update({ inputUri: `s3://${customerBucket}/${context.names.prefix}/train/` });
  } else {
    const user = await context.saasUser();
    const saasBucket = await context.saasBucket();
    context.state.update({ saasBucket });
    context.state.addKeys("saasKeys", [key]);
    await ensureBucket(user.s3, saasBucket, context.settings.target.region);
    await putCsv(user.s3, saasBucket, key, csv);
    // The copy runs as the cross-account role; a direct reference is read by the job, as the execution role.
    const object = { saasBucket, key, roleArn: dataPath === "copy" ? await context.roleArn() : await context.executionRoleArn() };
    if (dataPath === "copy") {
      context.state.addKeys("customerKeys", [key]);
      await copyAcrossAccounts(user.s3, role.s3, object, { bucket: customerBucket, key });
      context.state.update({ inputUri: `s3://${customerBucket}/${context.names.prefix}/train/` });
    } else {
      context.state.update({ saasBucketPolicy: true });
      await grantRoleAccess(user.s3, object, true);
      context.state.update({ inputUri: `s3://${saasBucket}/${context.names.prefix}/train/` });
    }
  }
  context.settings.log(`  training data (${dataPath} path) at ${context.state.read().inputUri}`);
}

type Step = (context: FlowContext, results: StepResults) => Promise<void>;

const steps: Record<StepName, Step> = {
  async accounts(context) {
    const accounts = await context.accounts();
    context.settings.log(`  customer account ${accounts.customer}, SaaS account ${accounts.saas}`);
  },

  async "customer-iam"(context) {
    const accounts = await context.accounts();
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
    const { inputUri, saasBucket, saasBucketPolicy } = context.state.read();
    if (!inputUri) throw new Error("no training data in the run state: run the upload step first");
    const customerBucket = await context.customerBucket();
    const name = jobNameAt(new Date(), randomBytes(2).toString("hex"));
    context.state.retireJob();
    context.state.update({ jobName: name, outputPrefix: `${context.names.prefix}/output/${name}/` });
    let best: AutoMLCandidate;
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
      context.settings.log(`  job ${name}, ${context.settings.mode} mode, at most ${context.settings.maxCandidates} candidates`);
      const job = await waitForJob(
        sagemaker,
        name,
        (p) => context.settings.log(`  ${p.status} / ${p.secondaryStatus}, ${p.elapsedSeconds} s, ${p.candidates} candidate(s)`),
        context.settings.jobPollMs,
        context.settings.signal,
      );
      best = bestCandidateOf(job);
      context.settings.log(`  best ${best.CandidateName}: ${best.FinalAutoMLJobObjectiveMetric?.MetricName} ${best.FinalAutoMLJobObjectiveMetric?.Value?.toFixed(4)}`);
    } finally {
      // The direct path's grant lasts only as long as the job reads the SaaS bucket.
      if (saasBucketPolicy && saasBucket) {
        await revokeRoleAccess((await context.saasUser()).s3, saasBucket);
        context.state.update({ saasBucketPolicy: false });
      }
    }
    results.leaderboard = await leaderboard(sagemaker, name);
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
    const problemType = job.ResolvedAttributes?.ProblemType ?? job.ProblemType ?? "";
    const deployment = { names, problemType, roleArn: await context.executionRoleArn(), instanceType: context.settings.instanceType, maxWaitSeconds: context.settings.endpointWaitSeconds };
    await deployCandidate(sagemaker, candidate, { ...deployment, signal: context.settings.signal });
    context.settings.log(`  endpoint ${names.endpoint} InService with ${candidate.CandidateName}`);
  },

  async predict(context, results) {
    const { runtime } = await context.asRole();
    const { endpoint } = context.state.read();
    if (!endpoint) throw new Error("no endpoint in the run state: run the deploy step first");
    const test = separateTarget(parseTable(readFileSync(dataFiles(context.dataDir).test, "utf8")), context.names.target);
    const predictions = await predictRows(runtime, endpoint, test.features.rows);
    results.evaluation = evaluate(test.truth, predictions);
    formatEvaluation(results.evaluation).forEach(context.settings.log);
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
