import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "ini";
import { writeFileAtomic } from "./store/atomic-file.ts";

export interface ProfileCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface ProfileFiles {
  credentialsFile: string;
  configFile: string;
}

/** `<dir>/credentials` and `<dir>/config`. */
export function profileFiles(dir: string): ProfileFiles {
  return { credentialsFile: join(dir, "credentials"), configFile: join(dir, "config") };
}

/**
 * Writes `<dir>/credentials` and `<dir>/config` for the given profiles, so that
 * AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE pointing at them make the SDK, the AWS CLI and
 * boto3 use the local accounts (mode 0600, atomic). Profiles others added to these files (the
 * flow's `saas_user`) are kept; only the configuration users' sections are rewritten.
 */
export function writeProfileFiles(dir: string, profiles: Record<string, ProfileCredentials>, region: string, endpoint: string): ProfileFiles {
  const files = profileFiles(dir);
  const credentials = readIni(files.credentialsFile);
  const config = readIni(files.configFile);
  for (const [name, keys] of Object.entries(profiles)) {
    credentials[name] = { aws_access_key_id: keys.accessKeyId, aws_secret_access_key: keys.secretAccessKey };
    config[`profile ${name}`] = { region, endpoint_url: endpoint };
  }
  for (const section of Object.values(config)) if (section.endpoint_url !== undefined) section.endpoint_url = endpoint;
  writeFileAtomic(files.credentialsFile, stringify(credentials, { whitespace: true }));
  writeFileAtomic(files.configFile, stringify(config, { whitespace: true }));
  return files;
}

function readIni(path: string): Record<string, Record<string, string>> {
  return existsSync(path) ? (parse(readFileSync(path, "utf8")) as Record<string, Record<string, string>>) : {};
}
