import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { parseCliOptions, UsageError } from "../../lib/flow/cli-options.ts";
import { endpointOverrides } from "../../lib/flow/endpoint-overrides.ts";
import { BLOG_NAMES } from "../../lib/flow/names.ts";
import { checkConfigurationProfiles } from "../../lib/flow/profile-check.ts";
import { clientsFor, type Target } from "../../lib/flow/sessions.ts";
import { awsTarget, startLocalTarget, TargetError, type RunningTarget } from "../../lib/flow/targets.ts";
import { npmStart } from "../helpers/npm-start.ts";

let dir: string;
let local: RunningTarget;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "flow-aws-target-"));
  local = await startLocalTarget(join(dir, "local-aws"));
});

afterAll(async () => {
  await local.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Where a client would send its request, found by stopping the request just before it leaves. */
async function destinationOf(client: STSClient): Promise<string> {
  client.middlewareStack.add(
    (_next) => async (args) => {
      const { hostname, port } = args.request as { hostname: string; port?: number };
      throw Object.assign(new Error("stopped before sending"), { destination: `${hostname}${port ? `:${port}` : ""}` });
    },
    { step: "finalizeRequest", priority: "low" },
  );
  const error = (await failureOf(client.send(new GetCallerIdentityCommand({})))) as Error & { destination?: string };
  if (!error.destination) throw new Error(`the request was not stopped: ${error.message}`);
  return error.destination;
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (error: unknown) => error as Error,
  );
}

async function withEnv<T>(changes: Record<string, string>, body: () => Promise<T>): Promise<T> {
  const before = Object.fromEntries(Object.keys(changes).map((name) => [name, process.env[name]]));
  Object.assign(process.env, changes);
  try {
    return await body();
  } finally {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe("endpoint overrides in the environment", () => {
  it("finds AWS_ENDPOINT_URL and every AWS_ENDPOINT_URL_<SERVICE>, not empty ones, none when the SDK is told to ignore them", () => {
    const env = { AWS_ENDPOINT_URL: "http://127.0.0.1:4566", AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME: "http://x:1", AWS_ENDPOINT_URL_S3: "", AWS_ENDPOINT_URLS: "x", HOME: "/root" };
    expect(endpointOverrides(env)).toEqual(["AWS_ENDPOINT_URL=http://127.0.0.1:4566", "AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME=http://x:1"]);
    expect(endpointOverrides({ ...env, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" })).toEqual([]);
  });

  it("are what the SDK itself follows, and the run's clients ignore them (or use --endpoint-url)", async () => {
    await withEnv({ AWS_ENDPOINT_URL_STS: "http://127.0.0.1:9" }, async () => {
      const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret" };
      expect(await destinationOf(new STSClient({ region: "us-east-1", credentials }))).toBe("127.0.0.1:9");
      const aws: Target = { kind: "aws", region: "us-east-1", credentialsFile: join(dir, "none") };
      expect(await destinationOf(clientsFor(aws, credentials).sts)).toBe("sts.us-east-1.amazonaws.com");
      expect(await destinationOf(clientsFor({ ...aws, endpoint: "http://127.0.0.1:7777" }, credentials).sts)).toBe("127.0.0.1:7777");
    });
  });

  it("make --target aws refuse to run, unless an endpoint is named", () => {
    const env = { AWS_ENDPOINT_URL: "http://127.0.0.1:4566", AWS_ENDPOINT_URL_IAM: "http://127.0.0.1:4567" };
    expect(() => awsTarget("us-east-1", { env })).toThrow(TargetError);
    expect(() => awsTarget("us-east-1", { env })).toThrow(
      "refusing to run against real AWS: the environment sets AWS_ENDPOINT_URL=http://127.0.0.1:4566, AWS_ENDPOINT_URL_IAM=http://127.0.0.1:4567, which would send the AWS SDK somewhere other than AWS. " +
        "To run against AWS, unset AWS_ENDPOINT_URL AWS_ENDPOINT_URL_IAM; to run against that endpoint on purpose, name it with --endpoint-url URL.",
    );
    expect(awsTarget("us-east-1", { env, endpoint: "http://127.0.0.1:5000" }).target).toMatchObject({ kind: "aws", endpoint: "http://127.0.0.1:5000" });
    expect(awsTarget("us-east-1", { env: { AWS_SHARED_CREDENTIALS_FILE: "/x/credentials" } }).target).toEqual({ kind: "aws", region: "us-east-1", credentialsFile: "/x/credentials", configFile: expect.any(String) });
  });
});

describe("--endpoint-url", () => {
  it("is an http(s) URL that goes with --target aws", () => {
    expect(parseCliOptions(["--target", "aws", "--endpoint-url", "http://127.0.0.1:5000"]).endpointUrl).toBe("http://127.0.0.1:5000");
    expect(parseCliOptions(["--target", "aws"]).endpointUrl).toBeUndefined();
    expect(() => parseCliOptions(["--endpoint-url", "http://127.0.0.1:5000"])).toThrow(new UsageError("--endpoint-url goes with --target aws: the local AWS has its own endpoint"));
    expect(() => parseCliOptions(["--target", "aws", "--endpoint-url", "127.0.0.1:5000"])).toThrow('--endpoint-url must be an http:// or https:// URL, got "127.0.0.1:5000"');
  });
});

describe("the configuration profiles check", () => {
  const asAws = (credentialsFile: string, configFile = join(dir, "no-config")): Target => ({ kind: "aws", region: "us-east-1", endpoint: local.target.endpoint, credentialsFile, configFile });

  it("answers both accounts when both profiles authenticate", async () => {
    expect(await checkConfigurationProfiles(asAws(local.target.credentialsFile, local.target.configFile), BLOG_NAMES)).toEqual(["  profiles: customer_config in account 111111111111, saas_config in account 222222222222"]);
  });

  it("names each profile without credentials, its files and what to do", async () => {
    const missing = join(dir, "missing-credentials");
    const error = await failureOf(checkConfigurationProfiles(asAws(missing), BLOG_NAMES));
    expect(error).toBeInstanceOf(TargetError);
    expect(error.message).toContain(`cannot run on ${local.target.endpoint}: profile customer_config has no credentials in ${missing} or ${join(dir, "no-config")} (`);
    expect(error.message).toContain("Add a [customer_config] section with aws_access_key_id and aws_secret_access_key of a user in the customer (trusting) account");
    expect(error.message).toContain("\nprofile saas_config has no credentials in");
    expect(error.message).toContain("point AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE at the files that have it");
  });

  it("names a profile whose key AWS refuses", async () => {
    const file = join(dir, "wrong-secret");
    copyFileSync(local.target.credentialsFile, file);
    const text = readFileSync(file, "utf8");
    const saasSection = text.indexOf("[saas_config]");
    writeFileSync(file, text.slice(0, saasSection) + text.slice(saasSection).replace(/aws_secret_access_key = \S+/, "aws_secret_access_key = wrong"));
    const error = await failureOf(checkConfigurationProfiles(asAws(file), BLOG_NAMES));
    expect(error.message).toMatch(new RegExp(`^cannot run on ${local.target.endpoint}: profile saas_config \\(in ${file} or .*\\) does not authenticate at ${local.target.endpoint}: STS GetCallerIdentity answered SignatureDoesNotMatch: `));
    expect(error.message).not.toContain("customer_config");
  });
});

describe("npm start --target aws", () => {
  it("with no credentials at all, stops before anything with the profiles' message, and suggests no cleanup", async () => {
    const stateDir = join(dir, "no-credentials-run");
    const env = { AWS_SHARED_CREDENTIALS_FILE: join(dir, "nothing", "credentials"), AWS_CONFIG_FILE: join(dir, "nothing", "config") };
    const run = await npmStart(["--target", "aws", "--yes", "--state-dir", stateDir], { env: { HOME: dir, ...env } });
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain(`cannot run on AWS: profile customer_config has no credentials in ${env.AWS_SHARED_CREDENTIALS_FILE} or ${env.AWS_CONFIG_FILE}`);
    expect(run.output).toContain("profile saas_config has no credentials");
    expect(run.output).not.toMatch(/▶|clean up with|cleanup/);
    expect(existsSync(stateDir)).toBe(false);
  }, 60_000);

  it("refuses an endpoint override exported for the local AWS, even before --yes", async () => {
    const run = await npmStart(["--target", "aws"], { env: { HOME: dir, AWS_ENDPOINT_URL: local.target.endpoint! } });
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain(`refusing to run against real AWS: the environment sets AWS_ENDPOINT_URL=${local.target.endpoint}`);
    expect(run.output).not.toContain("This run creates");
  }, 60_000);
});
