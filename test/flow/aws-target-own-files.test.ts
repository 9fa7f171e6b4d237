import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BLOG_NAMES } from "../../lib/flow/names.ts";
import type { Target } from "../../lib/flow/sessions.ts";
import { npmStart } from "../helpers/npm-start.ts";
import { startTestAws, type TestAws } from "../helpers/local-aws.ts";
import { leftovers } from "./leftovers.ts";

let aws: TestAws;
let dir: string;

beforeAll(async () => {
  aws = await startTestAws();
  dir = mkdtempSync(join(tmpdir(), "own-files-"));
});
afterAll(async () => {
  await aws.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A user's own files, as `aws configure` and `aws sts` leave them, with the two profiles the flow needs among others. */
function usersFiles(): { credentials: string; config: string } {
  const { customer, saas } = aws;
  const credentials = [
    "# my profiles; do not lose this comment",
    "[default]",
    "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "",
    "; an MFA session",
    "[mfa]",
    "aws_access_key_id=ASIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY=",
    "aws_session_token = IQoJb3JpZ2luX2VjEHoaCXVzLWVhc3QtMSJHMEUCIQD+abc/def==",
    "",
    "[tool]",
    "credential_process = /usr/local/bin/get-creds --profile=work --ttl=900",
    "",
    "[customer_config]",
    `aws_access_key_id = ${customer.accessKeyId}`,
    `aws_secret_access_key = ${customer.secretAccessKey}`,
    "",
    "[saas_config]",
    `aws_access_key_id = ${saas.accessKeyId}`,
    `aws_secret_access_key = ${saas.secretAccessKey}`,
  ].join("\n");
  // The run's region comes from the customer's profile: eu-west-1, while the sample data set lives in us-east-1.
  const config = ["[default]", "region = us-east-1", "", "[profile customer_config]", "region = eu-west-1", ""].join("\n");
  return { credentials: `${credentials}\n`, config };
}

describe("npm start --target aws with the user's own shared files (an AWS-compatible endpoint standing in for AWS)", () => {
  it("runs the whole flow in the profile's region (the sample data read across regions), scores it right, and leaves the credentials file byte for byte as it was", async () => {
    const files = usersFiles();
    const credentialsFile = join(dir, "credentials");
    const configFile = join(dir, "config");
    writeFileSync(credentialsFile, files.credentials, { mode: 0o600 });
    writeFileSync(configFile, files.config, { mode: 0o600 });
    const env = { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: configFile };

    const run = await npmStart(["--target", "aws", "--yes", "--endpoint-url", aws.endpoint, "--max-candidates", "2", "--state-dir", join(dir, "run"), "--results", join(dir, "charts")], { env });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`AWS eu-west-1 (profile customer_config in ${configFile}) at ${aws.endpoint}`);
    expect(run.output).toContain("training data (local path) at s3://sagemaker-eu-west-1-");
    expect(run.output).toMatch(/profile \[saas_user\] written to /);
    const metrics = /accuracy (\d\.\d{4}) .* AUC (\d\.\d{4})/.exec(run.output);
    expect(metrics, run.output).not.toBeNull();
    expect(Number(metrics![1])).toBeGreaterThan(0.85);
    expect(Number(metrics![2])).toBeGreaterThan(0.9);
    expect(run.output).toContain("removed profile [saas_user]");

    expect(readFileSync(credentialsFile, "utf8")).toBe(files.credentials);
    expect(readFileSync(configFile, "utf8")).toBe(files.config);
    const target: Target = { kind: "aws", region: "eu-west-1", endpoint: aws.endpoint, credentialsFile, configFile };
    expect(await leftovers(target, BLOG_NAMES, "inspector")).toEqual([]);
  }, 180_000);
});
