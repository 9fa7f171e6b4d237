import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetGroupCommand, ListAccessKeysCommand, ListAttachedGroupPoliciesCommand, ListAttachedRolePoliciesCommand } from "@aws-sdk/client-iam";
import { CopyObjectCommand, GetBucketPolicyCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { CreateTransformJobCommand, DescribeEndpointCommand, DescribeModelCommand, DescribeTransformJobCommand } from "@aws-sdk/client-sagemaker";
import { describeJob } from "../../lib/flow/automl-job.ts";
import { transformFolder } from "../../lib/flow/batch-predict.ts";
import { transformJobRequest } from "../../lib/flow/batch-transform.ts";
import { readTestSet, toCsv } from "../../lib/flow/data-set.ts";
import { createCandidateModel } from "../../lib/flow/deploy.ts";
import { parse } from "ini";
import { readProfileKey } from "../../lib/flow/credentials-file.ts";
import { FlowContext } from "../../lib/flow/flow-context.ts";
import { batchNames, BLOG_NAMES, isValidJobName } from "../../lib/flow/names.ts";
import { customerS3Policy } from "../../lib/flow/policies.ts";
import { copyAcrossAccounts, ensureBucket, grantRoleAccess, putCsv, revokeRoleAccess } from "../../lib/flow/s3-transfer.ts";
import { listKeys } from "../../lib/flow/s3-cleanup.ts";
import { runSteps, type StepResults } from "../../lib/flow/steps.ts";
import { startLocalTarget, type RunningTarget } from "../../lib/flow/targets.ts";
import { leftovers } from "./leftovers.ts";

const names = BLOG_NAMES;
let dir: string;
let running: RunningTarget;
let context: FlowContext;
const lines: string[] = [];
const results: StepResults = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flow-test-"));
  running = await startLocalTarget(dir);
  context = new FlowContext({
    target: running.target,
    names,
    dataPath: "local",
    maxCandidates: 2,
    mode: "AUTO",
    leastPrivilege: false,
    workDir: dir,
    instanceType: "ml.m5.large",
    jobPollMs: 200,
    transformPollMs: 100,
    endpointWaitSeconds: 60,
    sessionSeconds: 3600,
    iamSettling: { attempts: 1, intervalMs: 0 },
    log: (line) => lines.push(line),
  });
});

afterAll(async () => {
  await running.stop();
  rmSync(dir, { recursive: true, force: true });
});

const step = (...steps: Parameters<typeof runSteps>[1]) => runSteps(context, steps, results);

describe("the whole flow on the local AWS", () => {
  it("sets up IAM in both accounts, idempotently", async () => {
    await step("accounts", "customer-iam", "saas-iam");
    const { iam: customerIam } = context.customerConfig();
    const { Role } = await customerIam.send(new GetRoleCommand({ RoleName: names.role }));
    const externalId = context.state.read().externalId!;
    expect(externalId).toMatch(/^[0-9a-f]{32}$/);
    const trust = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));
    expect(trust.Statement[0].Condition.StringEquals["sts:ExternalId"]).toBe(externalId);
    expect(Role!.MaxSessionDuration).toBe(43200);
    const attached = await customerIam.send(new ListAttachedRolePoliciesCommand({ RoleName: names.role }));
    expect(attached.AttachedPolicies!.map((p) => p.PolicyName).sort()).toEqual(["AmazonSageMakerFullAccess", "customer_s3"]);
    const customerPolicyArn = "arn:aws:iam::111111111111:policy/customer_s3";
    const { Policy } = await customerIam.send(new GetPolicyCommand({ PolicyArn: customerPolicyArn }));
    const { PolicyVersion } = await customerIam.send(new GetPolicyVersionCommand({ PolicyArn: customerPolicyArn, VersionId: Policy!.DefaultVersionId }));
    expect(JSON.parse(decodeURIComponent(PolicyVersion!.Document!))).toEqual(customerS3Policy("autopilot-saas-us-east-1-222222222222", "sagemaker-us-east-1-111111111111"));

    const { iam: saasIam } = context.saasConfig();
    const group = await saasIam.send(new GetGroupCommand({ GroupName: names.group }));
    expect(group.Users!.map((u) => u.UserName)).toEqual([names.user]);
    const groupPolicies = await saasIam.send(new ListAttachedGroupPoliciesCommand({ GroupName: names.group }));
    expect(groupPolicies.AttachedPolicies!.map((p) => p.PolicyName).sort()).toEqual(["saas_assume_customer_role", "saas_s3"]);
    const firstKey = readProfileKey(running.target.credentialsFile, names.userProfile)!;

    // Re-running reuses everything, keeps the ExternalId and replaces the access key, as the blog does.
    await step("customer-iam", "saas-iam");
    expect(context.state.read().externalId).toBe(externalId);
    const { AccessKeyMetadata } = await saasIam.send(new ListAccessKeysCommand({ UserName: names.user }));
    const secondKey = readProfileKey(running.target.credentialsFile, names.userProfile)!;
    expect(AccessKeyMetadata!.map((k) => k.AccessKeyId)).toEqual([secondKey.accessKeyId]);
    expect(secondKey.accessKeyId).not.toBe(firstKey.accessKeyId);
    expect(Object.keys(parse(readFileSync(running.target.credentialsFile, "utf8"))).sort()).toEqual(["customer_config", "saas_config", "saas_user"]);
  });

  it("downloads and splits the data set as the SaaS user, then assumes the role", async () => {
    await step("data", "assume-role");
    const train = readFileSync(join(dir, "data", "train_data.csv"), "utf8").trimEnd().split("\n");
    const source = readFileSync(new URL("../../data/churn.txt", import.meta.url), "utf8").split("\n");
    expect(train).toHaveLength(4001);
    expect(train[0]).toBe(source[0]);
    expect(train[1]).toBe(source[3019 + 1]);
    expect(readFileSync(join(dir, "data", "test_data.csv"), "utf8").trimEnd().split("\n")[1]).toBe(source[2 + 1]);
    expect(lines).toContain("  acting as arn:aws:sts::111111111111:assumed-role/customer_trusting_saas/autopilot-saas");
  });

  it("uploads the training data to the customer's default bucket", async () => {
    await step("upload");
    const { s3 } = await context.asRole();
    const state = context.state.read();
    expect(state.inputUri).toBe("s3://sagemaker-us-east-1-111111111111/autopilot-churn/train/");
    await s3.send(new HeadObjectCommand({ Bucket: state.customerBucket, Key: state.customerKeys![0] }));
  });

  it("copies across accounts only while the temporary bucket policy lasts, and lists directly only while granted", async () => {
    const role = await context.asRole();
    const user = await context.saasUser();
    const saasBucket = await context.saasBucket();
    const customerBucket = await context.customerBucket();
    const key = "extra/copied.csv";
    context.state.update({ saasBucket });
    context.state.addKeys("saasKeys", [key]);
    context.state.addKeys("customerKeys", [key]);
    await ensureBucket(user.s3, saasBucket, "us-east-1");
    await putCsv(user.s3, saasBucket, key, "a,b\n1,2\n");
    const object = { saasBucket, key, roleArn: await context.roleArn() };

    await copyAcrossAccounts(user.s3, role.s3, object, { bucket: customerBucket, key });
    await role.s3.send(new HeadObjectCommand({ Bucket: customerBucket, Key: key }));
    await expect(role.s3.send(new CopyObjectCommand({ Bucket: customerBucket, Key: key, CopySource: `${saasBucket}/${key}` }))).rejects.toMatchObject({ name: "AccessDenied" });

    // A failed copy (a missing key, which S3 reports as AccessDenied to a caller that may not list) still removes the temporary policy.
    await expect(copyAcrossAccounts(user.s3, role.s3, { ...object, key: "extra/missing.csv" }, { bucket: customerBucket, key: "extra/missing.csv" })).rejects.toMatchObject({ name: "AccessDenied" });
    await expect(user.s3.send(new GetBucketPolicyCommand({ Bucket: saasBucket }))).rejects.toMatchObject({ name: "NoSuchBucketPolicy" });

    await grantRoleAccess(user.s3, object, true);
    expect(await listKeys(role.s3, saasBucket, "extra/")).toEqual([key]);
    await revokeRoleAccess(user.s3, saasBucket);
    await expect(listKeys(role.s3, saasBucket, "extra/")).rejects.toMatchObject({ name: "AccessDenied" });
  });

  it("trains, deploys the best candidate and predicts every test row", async () => {
    await step("job", "deploy", "predict");
    const state = context.state.read();
    expect(isValidJobName(state.jobName!)).toBe(true);
    // As many rows as MaxCandidates, best first and marked; each ensemble with its members' weights and its fit time.
    const { rows, maxCandidates } = results.leaderboard!;
    expect(maxCandidates).toBe(2);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.value).toBeGreaterThanOrEqual(rows[1]!.value!);
    expect(rows.map((row) => row.best)).toEqual([true, false]);
    for (const row of rows) {
      expect(row).toMatchObject({ algorithm: "ensemble", metric: "F1", status: "Completed" });
      expect(Object.keys(row.hyperparameters).length).toBeGreaterThan(0);
      for (const weight of Object.values(row.hyperparameters)) expect(Number(weight)).toBeGreaterThan(0);
      expect(row.fitSeconds).toBeGreaterThan(0);
    }
    const { s3, sagemaker } = await context.asRole();
    expect((await listKeys(s3, state.customerBucket!, state.outputPrefix!)).length).toBeGreaterThan(0);
    expect((await sagemaker.send(new DescribeEndpointCommand({ EndpointName: state.endpoint }))).EndpointStatus).toBe("InService");
    const model = await sagemaker.send(new DescribeModelCommand({ ModelName: state.model }));
    expect(model.Containers!.at(-1)!.Environment!.SAGEMAKER_INFERENCE_OUTPUT).toBe("predicted_label,probabilities,labels");
    // The churn data is small, so AUTO trains in ENSEMBLING mode: AUC from `probabilities`, not from `probability`.
    const evaluation = results.evaluation!;
    if (evaluation.kind !== "binary") throw new Error(`a ${evaluation.kind} evaluation of the churn data`);
    expect(evaluation.auc).toBeGreaterThan(0.9);
    expect(evaluation.rows).toBe(1000);
    expect(evaluation.f1).toBeGreaterThan(0.85);
    expect(lines.some((line) => line.includes("Completed / Completed"))).toBe(true);
    // Every test row's answer, kept with its truth for the predictions table.
    const { predictions, truth } = results.predictions!;
    expect(predictions).toHaveLength(1000);
    expect(predictions.filter((p, i) => p.label !== truth[i]).length).toBe(evaluation.confusion.falseNegative + evaluation.confusion.falsePositive);
  }, 120_000);

  it("scores the same rows with a transform job on the same candidate: a model of its own, the rows and the answers in the customer's bucket, the endpoint's answers", async () => {
    await step("batch");
    const { transform, customerBucket, model: endpointModel } = context.state.read();
    const { sagemaker, s3 } = await context.asRole();
    const job = await sagemaker.send(new DescribeTransformJobCommand({ TransformJobName: transform!.transformJob }));
    expect(job).toMatchObject({
      TransformJobStatus: "Completed",
      ModelName: transform!.model,
      TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${customerBucket}/autopilot-churn/batch/${transform!.transformJob}/input/` } }, ContentType: "text/csv", SplitType: "Line" },
      TransformOutput: { S3OutputPath: `s3://${customerBucket}/${transform!.outputPrefix}`, Accept: "text/csv", AssembleWith: "Line" },
      TransformResources: { InstanceType: "ml.m5.large", InstanceCount: 1 },
      DataProcessing: { JoinSource: "Input", InputFilter: "$", OutputFilter: "$" },
    });
    expect(job.Environment).toBeUndefined();
    // The inference keys are the model's, as the endpoint's model has them.
    const [batchModel, hostedModel] = await Promise.all([transform!.model, endpointModel].map((name) => sagemaker.send(new DescribeModelCommand({ ModelName: name }))));
    expect(batchModel!.Containers).toEqual(hostedModel!.Containers);
    expect(batchModel!.ExecutionRoleArn).toBe("arn:aws:iam::111111111111:role/customer_trusting_saas");
    expect(transform!.inputKeys).toEqual([`autopilot-churn/batch/${transform!.transformJob}/input/test_features.csv`]);
    expect(await listKeys(s3, customerBucket!, transform!.outputPrefix)).toEqual([`${transform!.outputPrefix}test_features.csv.out`]);
    expect(results.batch!.agreement).toEqual({ rows: 1000, differing: [] });
    expect(results.batch!.predictions.predictedBy).toBe("the transform job");
    expect(lines).toContain("  the transform job and the endpoint agree on all 1000 rows (label and every probability)");
    expect(lines.some((line) => line.startsWith("  the first 10 of 1000 test rows as the transform job predicted them;"))).toBe(true);
  }, 60_000);

  it("keeps an earlier job and endpoint for cleanup when the job and deploy steps run again (a notebook cell run twice)", async () => {
    const before = context.state.read();
    await step("job", "deploy");
    const after = context.state.read();
    expect(after.jobName).not.toBe(before.jobName);
    expect(after.earlierJobs).toEqual([{ jobName: before.jobName, outputPrefix: before.outputPrefix }]);
    expect(after.earlierHosting).toEqual([{ model: before.model, endpointConfig: before.endpointConfig, endpoint: before.endpoint }]);
    const { sagemaker } = await context.asRole();
    for (const endpoint of [before.endpoint, after.endpoint]) {
      expect((await sagemaker.send(new DescribeEndpointCommand({ EndpointName: endpoint }))).EndpointStatus).toBe("InService");
    }
  }, 120_000);

  let runningTransform: string;

  it("records a transform job as it starts, for cleanup to stop (a crash or Ctrl-C in the batch step leaves one running)", async () => {
    const { sagemaker, s3 } = await context.asRole();
    const { jobName, customerBucket, transform: earlier } = context.state.read();
    const batch = batchNames(jobName!, "1ong");
    const { inputKey, outputPrefix } = transformFolder(names.prefix, batch.transformJob);
    context.state.retireTransform();
    context.state.update({ transform: { ...batch, outputPrefix } });
    expect(context.state.read().earlierTransforms).toEqual([earlier]);
    const best = (await describeJob(sagemaker, jobName!)).BestCandidate!;
    await createCandidateModel(sagemaker, best, { model: batch.model, problemType: "BinaryClassification", roleArn: await context.roleArn() });
    // Six objects of the test rows five times over, sent record by record: a job that runs for a while.
    const csv = toCsv({ header: [], rows: Array.from({ length: 5 }, () => readTestSet(context.dataDir, names.target).features.rows).flat() }, false);
    const keys = Array.from({ length: 6 }, (_, i) => inputKey.replace(/[^/]+$/, `part-${i}.csv`));
    context.state.addTransformKeys("inputKeys", keys);
    for (const key of keys) await putCsv(s3, customerBucket!, key, csv);
    const spec = { name: batch.transformJob, model: batch.model, inputUri: `s3://${customerBucket}/${inputKey.replace(/[^/]+$/, "")}`, outputUri: `s3://${customerBucket}/${outputPrefix}`, instanceType: "ml.m5.large" };
    await sagemaker.send(new CreateTransformJobCommand({ ...transformJobRequest(spec), BatchStrategy: "SingleRecord" }));
    runningTransform = batch.transformJob;
  });

  it("cleans up everything the run created, and a second cleanup finds nothing to do", async () => {
    await step("cleanup");
    expect(lines).toContain(`  stopped transform job ${runningTransform}`);
    expect(lines.some((line) => /^ {2}kept transform job \S+-batch-[0-9a-f]{4}: it ended Completed; SageMaker keeps ended transform jobs, at no cost$/.test(line))).toBe(true);
    expect(lines.filter((line) => /^ {2}removed transform job \S+'s input \(\d object\(s\) in s3:\/\/sagemaker-us-east-1-111111111111\)$/.test(line))).toHaveLength(2);
    expect(lines).toContain(`  removed model ${runningTransform}-model`);
    await step("cleanup");
    expect(lines.filter((line) => line.startsWith("✔ cleanup"))).toHaveLength(2);
    expect(existsSync(context.state.path)).toBe(false);
    expect(Object.keys(parse(readFileSync(running.target.credentialsFile, "utf8"))).sort()).toEqual(["customer_config", "saas_config"]);
    // Both endpoint configs (this run's and the earlier deploy's) are among what is listed.
    expect(await leftovers(running.target, names, "inspector")).toEqual([]);
  }, 60_000);
});
