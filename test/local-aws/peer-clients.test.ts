import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalAws, type LocalAws } from "../../lib/local-aws/index.ts";
import { AWS_CLI, DEBIAN_PYTHON, mustHavePeers, peerClientsAvailable, runCommand } from "../helpers/peer-clients.ts";

const available = await peerClientsAvailable();
const required = mustHavePeers();

let aws: LocalAws;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "local-aws-peers-"));
  aws = await startLocalAws({ stateDir: join(dir, "state") });
  env = {
    AWS_SHARED_CREDENTIALS_FILE: aws.credentialsFile!,
    AWS_CONFIG_FILE: aws.configFile!,
    HOME: dir,
    AWS_PAGER: "",
    AWS_EC2_METADATA_DISABLED: "true",
  };
});
afterAll(async () => {
  await aws.stop();
  rmSync(dir, { recursive: true, force: true });
});

const sha256File = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

async function cli(profile: string, ...args: string[]) {
  const result = await runCommand(AWS_CLI, ["--endpoint-url", aws.endpoint, "--profile", profile, "--output", "json", ...args], env);
  const text = result.stdout.trim();
  return { ...result, json: text.startsWith("{") ? JSON.parse(text) : undefined };
}

describe.runIf(available.cli || required)("the AWS CLI against the local AWS", () => {
  it("is installed (CI requires it)", () => expect(available.cli).toBe(true));

  it("reads the generated credentials and config files", async () => {
    const { json, code, stderr } = await cli("saas_config", "sts", "get-caller-identity");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(json).toMatchObject({ Account: "222222222222", Arn: "arn:aws:iam::222222222222:user/saas_config" });
  });

  it("runs IAM and STS: create a role, assume it across accounts with an ExternalId", async () => {
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "cli-ext" } } }],
    });
    const role = await cli("customer_config", "iam", "create-role", "--role-name", "cli_role", "--assume-role-policy-document", trust, "--max-session-duration", "7200");
    expect(role.code).toBe(0);
    expect(role.json.Role.Arn).toBe("arn:aws:iam::111111111111:role/cli_role");
    const got = await cli("customer_config", "iam", "get-role", "--role-name", "cli_role");
    expect(got.json.Role.AssumeRolePolicyDocument.Statement[0].Condition.StringEquals["sts:ExternalId"]).toBe("cli-ext");

    const allowAssume = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::111111111111:role/cli_role" }] });
    const granted = await cli("saas_config", "iam", "put-user-policy", "--user-name", "saas_config", "--policy-name", "assume", "--policy-document", allowAssume);
    expect(granted.code).toBe(0);

    const assumed = await cli("saas_config", "sts", "assume-role", "--role-arn", "arn:aws:iam::111111111111:role/cli_role", "--role-session-name", "cli", "--external-id", "cli-ext");
    expect(assumed.code).toBe(0);
    expect(assumed.json.AssumedRoleUser.Arn).toBe("arn:aws:sts::111111111111:assumed-role/cli_role/cli");

    const denied = await cli("saas_config", "sts", "assume-role", "--role-arn", "arn:aws:iam::111111111111:role/cli_role", "--role-session-name", "cli", "--external-id", "wrong");
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain("AccessDenied");

    const users = await cli("customer_config", "iam", "list-users");
    expect(users.json.Users.map((u: { UserName: string }) => u.UserName)).toContain("customer_config");
  });

  it("copies a 100 MB file up (multipart) and down with aws s3 cp, bytes identical", async () => {
    const attach = await cli("customer_config", "iam", "attach-user-policy", "--user-name", "customer_config", "--policy-arn", "arn:aws:iam::aws:policy/AmazonS3FullAccess");
    expect(attach.code).toBe(0);
    const made = await cli("customer_config", "s3", "mb", "s3://cli-transfer-bucket");
    expect(made.stderr).toBe("");
    const original = join(dir, "big.bin");
    const block = randomBytes(1024 * 1024);
    writeFileSync(original, Buffer.concat(Array.from({ length: 100 }, (_, i) => Buffer.concat([block.subarray(i), block.subarray(0, i)]))));
    const up = await cli("customer_config", "s3", "cp", original, "s3://cli-transfer-bucket/big.bin");
    expect(up.code).toBe(0);
    const head = await cli("customer_config", "s3api", "head-object", "--bucket", "cli-transfer-bucket", "--key", "big.bin");
    expect(head.json.ContentLength).toBe(100 * 1024 * 1024);
    expect(head.json.ETag).toMatch(/-\d+"$/);
    const copy = join(dir, "big.copy");
    const down = await cli("customer_config", "s3", "cp", "s3://cli-transfer-bucket/big.bin", copy);
    expect(down.code).toBe(0);
    expect(sha256File(copy)).toBe(sha256File(original));
  }, 120_000);

  it("downloads the blog's data set from the sample bucket", async () => {
    const target = join(dir, "churn.txt");
    const { code, stderr } = await cli("customer_config", "s3", "cp", "s3://sagemaker-sample-files/datasets/tabular/synthetic/churn.txt", target);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(readFileSync(target, "utf8")).toBe(readFileSync(join(import.meta.dirname, "../../data/churn.txt"), "utf8"));
  });

  it("shows AWS's error for a missing entity", async () => {
    const { code, stderr } = await cli("customer_config", "iam", "get-user", "--user-name", "nobody");
    expect(code).toBe(254);
    expect(stderr).toContain("NoSuchEntity");
  });
});

const botoScript = `
import json, sys, boto3
endpoint = sys.argv[1]
saas = boto3.Session(profile_name="saas_config")
customer = boto3.Session(profile_name="customer_config")
out = {}
out["identity"] = saas.client("sts", endpoint_url=endpoint).get_caller_identity()["Arn"]
iam = customer.client("iam", endpoint_url=endpoint)
iam.create_group(GroupName="BotoGroup")
iam.put_group_policy(GroupName="BotoGroup", PolicyName="p", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
out["groupPolicy"] = iam.get_group_policy(GroupName="BotoGroup", PolicyName="p")["PolicyDocument"]["Statement"][0]["Action"]
iam.create_user(UserName="boto_user")
iam.add_user_to_group(GroupName="BotoGroup", UserName="boto_user")
out["members"] = [u["UserName"] for u in iam.get_group(GroupName="BotoGroup")["Users"]]
try:
    iam.delete_group(GroupName="BotoGroup")
except iam.exceptions.DeleteConflictException as e:
    out["deleteConflict"] = e.response["Error"]["Code"]
print(json.dumps(out))
`;

const botoSageMakerScript = `
import json, sys, time, boto3
endpoint, data_file = sys.argv[1], sys.argv[2]
session = boto3.Session(profile_name="customer_config")
iam = session.client("iam", endpoint_url=endpoint)
for policy in ["AmazonSageMakerFullAccess", "AmazonS3FullAccess"]:
    iam.attach_user_policy(UserName="customer_config", PolicyArn="arn:aws:iam::aws:policy/" + policy)
trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
role = iam.create_role(RoleName="boto_autopilot", AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
iam.attach_role_policy(RoleName="boto_autopilot", PolicyArn="arn:aws:iam::aws:policy/AmazonSageMakerFullAccess")
s3 = session.client("s3", endpoint_url=endpoint)
bucket = "sagemaker-us-east-1-111111111111"
s3.create_bucket(Bucket=bucket)
s3.upload_file(data_file, bucket, "boto/train/churn.csv")
sm = session.client("sagemaker", endpoint_url=endpoint)
sm.create_auto_ml_job(
    AutoMLJobName="boto-job",
    InputDataConfig=[{"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://%s/boto/train" % bucket}}, "TargetAttributeName": "Churn?"}],
    OutputDataConfig={"S3OutputPath": "s3://%s/boto/output" % bucket},
    AutoMLJobConfig={"CompletionCriteria": {"MaxCandidates": 2}},
    RoleArn=role,
)
while True:
    job = sm.describe_auto_ml_job(AutoMLJobName="boto-job")
    if job["AutoMLJobStatus"] not in ("InProgress", "Stopping"):
        break
    time.sleep(0.5)
best = job["BestCandidate"]
sm.create_model(ModelName="boto-model", Containers=best["InferenceContainers"], ExecutionRoleArn=role)
sm.create_endpoint_config(EndpointConfigName="boto-config", ProductionVariants=[{"VariantName": "main", "ModelName": "boto-model", "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}])
sm.create_endpoint(EndpointName="boto-endpoint", EndpointConfigName="boto-config")
while sm.describe_endpoint(EndpointName="boto-endpoint")["EndpointStatus"] == "Creating":
    time.sleep(0.3)
rows = [line.rsplit(",", 1)[0] for line in open(data_file).read().split("\\n")[1:4]]
runtime = session.client("sagemaker-runtime", endpoint_url=endpoint)
answer = runtime.invoke_endpoint(EndpointName="boto-endpoint", ContentType="text/csv", Body="\\n".join(rows))
s3.put_object(Bucket=bucket, Key="boto/batch/rows.csv", Body="\\n".join(rows))
sm.create_transform_job(
    TransformJobName="boto-transform",
    ModelName="boto-model",
    TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://%s/boto/batch/" % bucket}}, "ContentType": "text/csv", "SplitType": "Line"},
    TransformOutput={"S3OutputPath": "s3://%s/boto/batch-output" % bucket, "AssembleWith": "Line"},
    TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1},
    DataProcessing={"JoinSource": "Input"},
)
sm.get_waiter("transform_job_completed_or_stopped").wait(TransformJobName="boto-transform", WaiterConfig={"Delay": 1})
transform = sm.describe_transform_job(TransformJobName="boto-transform")
joined = s3.get_object(Bucket=bucket, Key="boto/batch-output/rows.csv.out")["Body"].read().decode()
print(json.dumps({
    "status": job["AutoMLJobStatus"],
    "metric": best["FinalAutoMLJobObjectiveMetric"]["MetricName"],
    "endpoint": sm.describe_endpoint(EndpointName="boto-endpoint")["EndpointStatus"],
    "predictions": answer["Body"].read().decode().strip().split("\\n"),
    "transform": transform["TransformJobStatus"],
    "rows": rows,
    "joined": joined.strip().split("\\n"),
}))
`;

describe.runIf(available.boto3 || required)("boto3 against the local AWS", () => {
  it("is installed (CI requires it)", () => expect(available.boto3).toBe(true));

  it("runs an Autopilot job, deploys its best candidate and predicts, and scores the same rows with a batch transform", async () => {
    const dataFile = join(import.meta.dirname, "../../data/churn.txt");
    const { stdout, stderr, code } = await runCommand(DEBIAN_PYTHON, ["-c", botoSageMakerScript, aws.endpoint, dataFile], env);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { status: string; metric: string; endpoint: string; predictions: string[]; transform: string; rows: string[]; joined: string[] };
    expect(result).toMatchObject({ status: "Completed", metric: "F1", endpoint: "InService", transform: "Completed" });
    expect(result.predictions).toHaveLength(3);
    expect(result.predictions.every((line) => line === "True." || line === "False.")).toBe(true);
    // The batch transform joins each row to the prediction the endpoint gave it.
    expect(result.joined).toEqual(result.rows.map((row, i) => `${row},${result.predictions[i]}`));
  }, 120_000);

  it("runs IAM and STS calls with the generated profiles", async () => {
    const { stdout, stderr, code } = await runCommand(DEBIAN_PYTHON, ["-c", botoScript, aws.endpoint], env);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      identity: "arn:aws:iam::222222222222:user/saas_config",
      groupPolicy: "s3:*",
      members: ["boto_user"],
      deleteConflict: "DeleteConflict",
    });
  });
});
