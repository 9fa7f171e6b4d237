import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resolveRegion } from "../../lib/flow/region.ts";

const dir = mkdtempSync(join(tmpdir(), "region-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const configFile = join(dir, "config");
writeFileSync(configFile, "[default]\nregion = ap-south-1\n\n# the customer's account\n[profile customer_config]\nregion = eu-west-1\noutput = json\n\n[profile saas_config]\n");

describe("the region of a run on real AWS", () => {
  const resolve = (env: NodeJS.ProcessEnv, profile = "customer_config", explicit?: string) => resolveRegion({ profile, configFile, env, ...(explicit && { explicit }) });

  it("takes the region asked for, then AWS_REGION, then AWS_DEFAULT_REGION", () => {
    const env = { AWS_REGION: "us-west-2", AWS_DEFAULT_REGION: "ca-central-1" };
    expect(resolve(env, "customer_config", "sa-east-1")).toEqual({ region: "sa-east-1", source: "asked for" });
    expect(resolve(env)).toEqual({ region: "us-west-2", source: "AWS_REGION" });
    expect(resolve({ AWS_DEFAULT_REGION: "ca-central-1" })).toEqual({ region: "ca-central-1", source: "AWS_DEFAULT_REGION" });
  });

  it("then the profile's region in the config file, as the AWS SDK reads it, else us-east-1", () => {
    expect(resolve({})).toEqual({ region: "eu-west-1", source: `profile customer_config in ${configFile}` });
    expect(resolve({}, "saas_config").region).toBe("us-east-1");
    expect(resolveRegion({ profile: "customer_config", configFile: join(dir, "missing"), env: {} }).region).toBe("us-east-1");
  });
});
