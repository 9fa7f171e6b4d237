import { readConfigSetting } from "./credentials-file.ts";

/** A region and where it came from, to say so when the run starts. */
export interface ResolvedRegion {
  region: string;
  source: string;
}

export const FALLBACK_REGION = "us-east-1";

/**
 * The region of a run on real AWS: the one asked for; else AWS_REGION (the AWS SDK's variable) or
 * AWS_DEFAULT_REGION (the AWS CLI's and boto3's, which the blog's Python users set); else the
 * `region` of the customer's configuration profile in the shared config file, read as the AWS SDK
 * reads it; else us-east-1. The blog uses its session's region, which boto3 resolves the same way.
 */
export function resolveRegion(options: { explicit?: string; profile: string; configFile: string; env?: NodeJS.ProcessEnv }): ResolvedRegion {
  const env = options.env ?? process.env;
  if (options.explicit) return { region: options.explicit, source: "asked for" };
  if (env.AWS_REGION) return { region: env.AWS_REGION, source: "AWS_REGION" };
  if (env.AWS_DEFAULT_REGION) return { region: env.AWS_DEFAULT_REGION, source: "AWS_DEFAULT_REGION" };
  const fromProfile = readConfigSetting(options.configFile, options.profile, "region");
  if (fromProfile) return { region: fromProfile, source: `profile ${options.profile} in ${options.configFile}` };
  return { region: FALLBACK_REGION, source: `no region configured for profile ${options.profile}; the default` };
}
