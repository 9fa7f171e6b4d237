import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateAutoMLJobCommand, DescribeTrainingJobCommand, ListCandidatesForAutoMLJobCommand, SageMakerClient, type AutoMLCandidate } from "@aws-sdk/client-sagemaker";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { CUSTOMER_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { binaryCsv } from "../automl/fixtures.ts";
import { clientsFor, startTestAws, type TestAws } from "../helpers/local-aws.ts";
import { EXTERNAL_ID, ROLE_ARN, setUpCrossAccount } from "../helpers/cross-account-fixture.ts";
import { s3For } from "../helpers/s3.ts";
import { sagemakerFor, waitForJob } from "../helpers/sagemaker.ts";

const BUCKET = `sagemaker-us-east-1-${CUSTOMER_ACCOUNT_ID}`;
let aws: TestAws;
let sagemaker: SageMakerClient;
let sagemakerInIreland: SageMakerClient;

beforeAll(async () => {
  aws = await startTestAws();
  const { saasUser } = await setUpCrossAccount(aws);
  const { Credentials: c } = await clientsFor(aws, saasUser).sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "training", ExternalId: EXTERNAL_ID }));
  const role = { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
  ({ sagemaker } = sagemakerFor(aws, role));
  sagemakerInIreland = new SageMakerClient({ endpoint: aws.endpoint, region: "eu-west-1", credentials: role, maxAttempts: 1 });
  const s3 = s3For(aws, role);
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "data/train.csv", Body: binaryCsv(500) }));
}, 60_000);
afterAll(() => aws.stop());

async function candidatesOf(name: string, mode: "ENSEMBLING" | "HYPERPARAMETER_TUNING"): Promise<AutoMLCandidate[]> {
  await sagemaker.send(
    new CreateAutoMLJobCommand({
      AutoMLJobName: name,
      InputDataConfig: [{ DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: `s3://${BUCKET}/data` } }, TargetAttributeName: "churned" }],
      OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/output` },
      AutoMLJobConfig: { Mode: mode, CompletionCriteria: { MaxCandidates: 2 } },
      RoleArn: ROLE_ARN,
    }),
  );
  await waitForJob(sagemaker, name);
  return (await sagemaker.send(new ListCandidatesForAutoMLJobCommand({ AutoMLJobName: name }))).Candidates ?? [];
}

const trainingSteps = (candidate: AutoMLCandidate) => candidate.CandidateSteps!.filter((step) => step.CandidateStepType === "AWS::SageMaker::TrainingJob");

describe("DescribeTrainingJob", () => {
  it.each(["ENSEMBLING", "HYPERPARAMETER_TUNING"] as const)("describes the training job of each %s candidate: its algorithm, hyperparameters and training time", async (mode) => {
    const candidates = await candidatesOf(`training-${mode === "ENSEMBLING" ? "ens" : "hpo"}`, mode);
    expect(candidates).toHaveLength(2);
    for (const candidate of candidates) {
      const name = trainingSteps(candidate).at(-1)!.CandidateStepName!;
      const training = await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
      expect(training).toMatchObject({
        TrainingJobName: name,
        TrainingJobArn: `arn:aws:sagemaker:us-east-1:${CUSTOMER_ACCOUNT_ID}:training-job/${name.toLowerCase()}`,
        TrainingJobStatus: candidate.CandidateStatus,
        RoleArn: ROLE_ARN,
        AlgorithmSpecification: { TrainingInputMode: "File" },
      });
      const algorithm = /\/local-autopilot-([a-z]+):1$/.exec(training.AlgorithmSpecification!.TrainingImage!)?.[1];
      expect(mode === "ENSEMBLING" ? ["ensemble"] : ["gbdt", "linear", "mlp"]).toContain(algorithm);
      const hyperparameters = Object.entries(training.HyperParameters!);
      expect(hyperparameters.length).toBeGreaterThan(0);
      for (const [, value] of hyperparameters) expect(typeof value).toBe("string");
      expect(training.TrainingEndTime!.getTime()).toBeGreaterThan(training.TrainingStartTime!.getTime());
      expect(training.TrainingTimeInSeconds).toBe(Math.round((training.TrainingEndTime!.getTime() - training.TrainingStartTime!.getTime()) / 1000));
      if (candidate.CandidateStatus === "Completed") expect(training.ModelArtifacts!.S3ModelArtifacts).toMatch(/^s3:\/\/.*model\.json$/);
    }
  }, 120_000);

  it("answers as AWS does for a training job it has not got: the data processing job of an HPO candidate, an unknown name, or one in another region", async () => {
    const [candidate] = (await sagemaker.send(new ListCandidatesForAutoMLJobCommand({ AutoMLJobName: "training-hpo" }))).Candidates!;
    for (const name of [trainingSteps(candidate!)[0]!.CandidateStepName!, "no-such-training-job"]) {
      await expect(sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: name }))).rejects.toMatchObject({ name: "ValidationException", message: "Requested resource not found." });
    }
    const trained = trainingSteps(candidate!).at(-1)!.CandidateStepName!;
    await expect(sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: trained }))).resolves.toMatchObject({ TrainingJobName: trained });
    await expect(sagemakerInIreland.send(new DescribeTrainingJobCommand({ TrainingJobName: trained }))).rejects.toMatchObject({ name: "ValidationException", message: "Requested resource not found." });
  });
});
