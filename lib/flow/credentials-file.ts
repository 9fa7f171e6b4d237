import { existsSync, readFileSync } from "node:fs";
import { parse, stringify } from "ini";
import { writeFileAtomic } from "../local-aws/store/atomic-file.ts";

export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
}

type Profiles = Record<string, Record<string, unknown>>;

function readProfiles(file: string): Profiles {
  return existsSync(file) ? (parse(readFileSync(file, "utf8")) as Profiles) : {};
}

function writeProfiles(file: string, profiles: Profiles): void {
  writeFileAtomic(file, stringify(profiles, { whitespace: true }));
}

/** Adds or replaces one profile, keeping every other profile as it was. */
export function putProfile(file: string, profile: string, key: AccessKey): void {
  const profiles = readProfiles(file);
  profiles[profile] = { aws_access_key_id: key.accessKeyId, aws_secret_access_key: key.secretAccessKey };
  writeProfiles(file, profiles);
}

/** Removes one profile if present, keeping every other profile. */
export function removeProfile(file: string, profile: string): void {
  const profiles = readProfiles(file);
  if (!(profile in profiles)) return;
  delete profiles[profile];
  writeProfiles(file, profiles);
}

export function readProfileKey(file: string, profile: string): AccessKey | undefined {
  const section = readProfiles(file)[profile];
  const accessKeyId = section?.aws_access_key_id;
  const secretAccessKey = section?.aws_secret_access_key;
  return typeof accessKeyId === "string" && typeof secretAccessKey === "string" ? { accessKeyId, secretAccessKey } : undefined;
}
