import { join } from "node:path";
import { stringify } from "ini";
import { writeFileAtomic } from "./store/atomic-file.ts";

export interface ProfileCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ProfileFiles {
  credentialsFile: string;
  configFile: string;
}

/**
 * Writes `<dir>/credentials` and `<dir>/config` for the given profiles, so that
 * AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE pointing at them make the SDK, the AWS CLI and
 * boto3 use the local accounts (mode 0600, atomic).
 */
export function writeProfileFiles(dir: string, profiles: Record<string, ProfileCredentials>, region: string, endpoint: string): ProfileFiles {
  const credentials: Record<string, Record<string, string>> = {};
  const config: Record<string, Record<string, string>> = {};
  for (const [name, keys] of Object.entries(profiles)) {
    credentials[name] = { aws_access_key_id: keys.accessKeyId, aws_secret_access_key: keys.secretAccessKey };
    config[`profile ${name}`] = { region, endpoint_url: endpoint };
  }
  const files = { credentialsFile: join(dir, "credentials"), configFile: join(dir, "config") };
  writeFileAtomic(files.credentialsFile, stringify(credentials, { whitespace: true }));
  writeFileAtomic(files.configFile, stringify(config, { whitespace: true }));
  return files;
}
