import { execFile, spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SAMPLE_DATA } from "../../lib/flow/data-set.ts";
import type { MetadataBearer, Pluggable } from "@smithy/types";
import type { AccessKey } from "../../lib/flow/credentials-file.ts";

/*
 * moto (https://github.com/getmoto/moto) as a second, independent AWS for the flow's `--target aws`.
 * moto keeps one backend per account and picks the account of each request from its access key:
 * a key moto issued (IAM CreateAccessKey, STS AssumeRole) belongs to the account it was issued in,
 * any other key to 123456789012 (moto/core/responses.py get_current_account, unless MOTO_ACCOUNT_ID
 * is set). An `x-moto-account-id` header picks the account too, which is how the users below are
 * made in their own accounts: from then on their keys alone put requests in the right account.
 */

export const MOTO_CUSTOMER_ACCOUNT = "111111111111";
export const MOTO_SAAS_ACCOUNT = "222222222222";
/** Stands for AWS's own account behind the public `sagemaker-sample-files` bucket. */
export const MOTO_SAMPLES_ACCOUNT = "999999999999";
const REGION = "us-east-1";
const ANY_KEY = { accessKeyId: "AKIDMOTOBOOTSTRAP000", secretAccessKey: "moto-bootstrap" };

export async function motoServerAvailable(): Promise<boolean> {
  return promisify(execFile)("moto_server", ["--help"], { timeout: 30_000 }).then(
    () => true,
    () => false,
  );
}

export interface Moto {
  endpoint: string;
  /** What moto printed: its tracebacks name the operations it does not implement. */
  output(): string;
  stop(): Promise<void>;
}

/** moto_server on a free port of 127.0.0.1, once it says where it listens. */
export function startMoto(): Promise<Moto> {
  return new Promise((resolveStart, reject) => {
    // Each account as its key says, not MOTO_ACCOUNT_ID's one; AWS's managed policies (AmazonSageMakerFullAccess) there as in AWS.
    const { MOTO_ACCOUNT_ID: _oneAccountForAll, ...inherited } = process.env;
    const env = { ...inherited, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" };
    const child: ChildProcess = spawn("moto_server", ["-H", "127.0.0.1", "-p", "0"], { stdio: ["ignore", "pipe", "pipe"], env });
    let output = "";
    const timer = setTimeout(() => reject(new Error(`moto_server did not start in 30 s:\n${output}`)), 30_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveStart({
          endpoint: match[1]!,
          output: () => output,
          stop: () =>
            new Promise<void>((resolveStop) => {
              if (child.exitCode !== null) return resolveStop();
              child.once("exit", () => resolveStop());
              child.kill("SIGTERM");
            }),
        });
      }
    };
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    child.once("error", reject);
  });
}

/** Puts a client's requests in `account`, whatever their key. */
function inAccount(account: string): Pluggable<object, MetadataBearer> {
  return {
    applyToStack: (stack) =>
      stack.add(
        (next) => async (args) => {
          (args.request as { headers: Record<string, string> }).headers["x-moto-account-id"] = account;
          return next(args);
        },
        { step: "build", name: "motoAccount" },
      ),
  };
}

async function configurationUser(endpoint: string, account: string, name: string): Promise<AccessKey> {
  const iam = new IAMClient({ endpoint, region: REGION, credentials: ANY_KEY });
  iam.middlewareStack.use(inAccount(account));
  await iam.send(new CreateUserCommand({ UserName: name }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}

/**
 * The blog's starting point in moto: a configuration user in each of two accounts, written as the
 * profiles `customer_config` and `saas_config` to `dir`/credentials (and a config file), and the
 * public sample data set in a third account.
 */
export async function prepareMotoAccounts(moto: Moto, dir: string): Promise<{ credentialsFile: string; configFile: string }> {
  const customer = await configurationUser(moto.endpoint, MOTO_CUSTOMER_ACCOUNT, "customer_admin");
  const saas = await configurationUser(moto.endpoint, MOTO_SAAS_ACCOUNT, "saas_admin");
  const s3 = new S3Client({ endpoint: moto.endpoint, region: REGION, credentials: ANY_KEY, forcePathStyle: true });
  s3.middlewareStack.use(inAccount(MOTO_SAMPLES_ACCOUNT));
  await s3.send(new CreateBucketCommand({ Bucket: SAMPLE_DATA.bucket }));
  const churn = readFileSync(resolve(import.meta.dirname, "../../data/churn.txt"));
  await s3.send(new PutObjectCommand({ Bucket: SAMPLE_DATA.bucket, Key: SAMPLE_DATA.key, Body: churn }));
  const profile = (name: string, key: AccessKey) => `[${name}]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`;
  const credentialsFile = join(dir, "credentials");
  const configFile = join(dir, "config");
  writeFileSync(credentialsFile, `${profile("customer_config", customer)}\n${profile("saas_config", saas)}`, { mode: 0o600 });
  writeFileSync(configFile, `[default]\nregion = ${REGION}\n`, { mode: 0o600 });
  return { credentialsFile, configFile };
}
