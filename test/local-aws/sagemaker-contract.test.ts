import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { CUSTOMER_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { clientsFor, startTestAws, type TestAws } from "../helpers/local-aws.ts";
import { EXTERNAL_ID, ROLE_ARN, setUpCrossAccount } from "../helpers/cross-account-fixture.ts";
import { mustHavePeers, runCommand } from "../helpers/peer-clients.ts";
import { s3For } from "../helpers/s3.ts";

/**
 * Every response of the local SageMaker and SageMaker Runtime checked against the latest AWS
 * service models, as botocore (the `python3` on PATH) loads them: test/contract/sagemaker_contract.py
 * drives a whole Autopilot scenario as the assumed role and validates each raw response body.
 */

const SCRIPT = resolve(import.meta.dirname, "../contract/sagemaker_contract.py");
const BUCKET = `sagemaker-us-east-1-${CUSTOMER_ACCOUNT_ID}`;
/** Enough rows for Autopilot's 500-row minimum, few enough to train in seconds. */
const TRAINING_ROWS = 600;
const INVOKED_ROWS = 5;

/** The `python3` on PATH (pyenv's, not Debian's), with a botocore whose SageMaker model knows AutoMLMode. */
const probe = await runCommand("python3", ["-c", "import sys, botocore.session as s; sys.exit(0 if 'AutoMLMode' in s.get_session().get_service_model('sagemaker').shape_names else 3)"], {});
const available = probe.code === 0;
const required = mustHavePeers();

interface Report {
  violations: { operation: string; path: string; message: string; times: number }[];
  calls: unknown[];
  /** Statuses each Describe call saw, by operation and resource name. */
  observed: Record<string, Record<string, string[]>>;
}

let aws: TestAws;
let dir: string;

beforeAll(async () => {
  if (!available) return;
  dir = mkdtempSync(join(tmpdir(), "sagemaker-contract-"));
  aws = await startTestAws();
  const { saasUser } = await setUpCrossAccount(aws);
  const { Credentials: c } = await clientsFor(aws, saasUser).sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "contract", ExternalId: EXTERNAL_ID }));
  writeFileSync(join(dir, "credentials"), `[contract]\naws_access_key_id = ${c!.AccessKeyId}\naws_secret_access_key = ${c!.SecretAccessKey}\naws_session_token = ${c!.SessionToken}\n`, { mode: 0o600 });
  writeFileSync(join(dir, "config"), "");

  const [header, ...rows] = readFileSync(resolve(import.meta.dirname, "../../data/churn.txt"), "utf8").trim().split("\n");
  const s3 = s3For(aws, { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: "contract/train/train.csv", Body: [header, ...rows.slice(0, TRAINING_ROWS)].join("\n") }));
  const invoked = rows.slice(TRAINING_ROWS, TRAINING_ROWS + INVOKED_ROWS).map((row) => row.split(",").slice(0, -1).join(","));
  writeFileSync(join(dir, "rows.csv"), invoked.join("\n") + "\n");
});
afterAll(async () => {
  await aws?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the local SageMaker against botocore's service models", () => {
  it.skipIf(!available && !required)(
    "answers every call of an Autopilot scenario as the models say (members, types, enums, constraints, errors)",
    async () => {
      expect(available, `python3 with botocore knowing AutoMLMode is required (REQUIRE_PEER_CLIENTS=1): ${probe.stderr}`).toBe(true);
      const run = await runCommand(
        "python3",
        [
          SCRIPT,
          ...["--endpoint", aws.endpoint, "--profile", "contract", "--region", aws.region, "--role-arn", ROLE_ARN],
          ...["--train-uri", `s3://${BUCKET}/contract/train/`, "--output-uri", `s3://${BUCKET}/contract/output`, "--target", "Churn?"],
          ...["--rows", join(dir, "rows.csv"), "--prefix", "contract"],
        ],
        { AWS_SHARED_CREDENTIALS_FILE: join(dir, "credentials"), AWS_CONFIG_FILE: join(dir, "config"), AWS_EC2_METADATA_DISABLED: "true", PYTHONDONTWRITEBYTECODE: "1" },
      );
      const report = run.stdout.trim().startsWith("{") ? (JSON.parse(run.stdout) as Report) : undefined;
      expect(report, `the script did not report (exit ${run.code}):\n${run.stderr}`).toBeDefined();
      const violations = report!.violations.map((v) => `${v.operation} ${v.path}: ${v.message}${v.times > 1 ? ` (${v.times}×)` : ""}`);
      expect(violations, `${violations.length} contract violations in ${report!.calls.length} calls:\n${violations.join("\n")}`).toEqual([]);
      expect(report!.observed, "the responses checked cover each status the scenario is about").toMatchObject({
        DescribeAutoMLJob: { "contract-v1": ["InProgress", "Completed"], "contract-stop": expect.arrayContaining(["Stopped"]) },
        DescribeAutoMLJobV2: { "contract-v2": ["InProgress", "Completed"] },
        DescribeEndpoint: { "contract-endpoint": ["Creating", "InService"] },
        DescribeTransformJob: { "contract-transform": expect.arrayContaining(["Completed"]), "contract-transform-stop": expect.arrayContaining(["Stopped"]) },
      });
      const calls = report!.calls as { operation: string; status: number }[];
      expect(calls.filter((call) => call.operation === "DescribeTrainingJob").map((call) => call.status), "each completed candidate's training job described, and a missing one refused").toEqual(expect.arrayContaining([200, 400]));
      expect(run.code).toBe(0);
    },
    90_000,
  );
});
