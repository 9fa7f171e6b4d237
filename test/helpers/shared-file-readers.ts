import { fromIni } from "@aws-sdk/credential-providers";
import { mustHavePeers, runCommand } from "./peer-clients.ts";

/** What a client resolved for a profile; undefined when it found no credentials there. */
export interface Resolved {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface SharedFiles {
  credentialsFile: string;
  configFile: string;
}

/** Each profile's credentials as the AWS SDK v3's own `fromIni` resolves them from these files. */
export async function sdkCredentials(files: SharedFiles, profiles: string[]): Promise<Record<string, Resolved | undefined>> {
  const entries = await Promise.all(
    profiles.map(async (profile) => {
      const resolved = await fromIni({ profile, filepath: files.credentialsFile, configFilepath: files.configFile, ignoreCache: true })().then(
        (c) => ({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken === undefined ? {} : { sessionToken: c.sessionToken }) }),
        () => undefined,
      );
      return [profile, resolved] as const;
    }),
  );
  return Object.fromEntries(entries);
}

const BOTOCORE_SCRIPT = `
import json, sys, botocore.exceptions, botocore.session
out = {}
for profile in sys.argv[1:]:
    try:
        credentials = botocore.session.Session(profile=profile).get_credentials()
    except botocore.exceptions.ProfileNotFound:
        credentials = None
    frozen = credentials and credentials.get_frozen_credentials()
    out[profile] = frozen and {k: v for k, v in (("accessKeyId", frozen.access_key), ("secretAccessKey", frozen.secret_key), ("sessionToken", frozen.token)) if v is not None}
print(json.dumps(out))
`;

/** The `python3` on PATH has botocore (Debian's /usr/bin/python3 may lack it); REQUIRE_PEER_CLIENTS=1 makes it mandatory. */
export const botocoreAvailable = (await runCommand("python3", ["-c", "import botocore.session"], {})).code === 0;
export const botocoreRequired = mustHavePeers();

/**
 * Each profile's credentials as botocore resolves them (`Session(profile=...).get_credentials()`),
 * in one process; a file botocore cannot parse fails the call with botocore's message.
 */
export async function botocoreCredentials(files: SharedFiles, profiles: string[]): Promise<Record<string, Resolved | undefined>> {
  const run = await runCommand("python3", ["-c", BOTOCORE_SCRIPT, ...profiles], {
    AWS_SHARED_CREDENTIALS_FILE: files.credentialsFile,
    AWS_CONFIG_FILE: files.configFile,
    AWS_EC2_METADATA_DISABLED: "true",
    PYTHONDONTWRITEBYTECODE: "1",
  });
  if (run.code !== 0) throw new Error(`botocore failed (${run.code}): ${run.stderr.trim().split("\n").at(-1)}`);
  const parsed = JSON.parse(run.stdout) as Record<string, Resolved | null>;
  return Object.fromEntries(Object.entries(parsed).map(([profile, resolved]) => [profile, resolved ?? undefined]));
}
