import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { putProfile, readProfileKey, removeProfile } from "../../lib/flow/credentials-file.ts";
import { botocoreAvailable, botocoreCredentials, botocoreRequired, sdkCredentials, type Resolved, type SharedFiles } from "../helpers/shared-file-readers.ts";

let dir: string;
let files: SharedFiles;
let tool: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "credentials-"));
  files = { credentialsFile: join(dir, "credentials"), configFile: join(dir, "config") };
  writeFileSync(files.configFile, "[default]\nregion = us-east-1\n");
  // A credential_process that answers with its first argument as the secret, to prove `--arg=1` reaches it unquoted.
  mkdirSync(join(dir, "bin"));
  tool = join(dir, "bin", "tool");
  writeFileSync(tool, `#!/bin/sh\nprintf '{"Version": 1, "AccessKeyId": "AKIAPROCESSEXAMPLE", "SecretAccessKey": "%s"}' "$1"\n`, { mode: 0o755 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SESSION_TOKEN = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJGMEQCIBz+Ab/9x+kLmN0pQrStUvWxYz==";
const SAAS = { accessKeyId: "AKIASAASUSEREXAMPLE", secretAccessKey: "kWcrlUX5JEDGM/LtmEENI/aVmYvHNif5zB+d9+ct" };

/** A hand-kept file: comments of both kinds, temporary credentials ending in `=`, a credential_process with `--arg=1`. */
function handKept(eol = "\n"): string {
  return [
    "# Shared credentials, kept by hand.",
    "; Rotated every 90 days.",
    "",
    "[default]",
    "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "",
    "# From `aws sts get-session-token`:",
    "[temp]",
    "aws_access_key_id=ASIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY=",
    `aws_session_token = ${SESSION_TOKEN}`,
    "",
    "[tool]",
    `credential_process = ${tool} --arg=1`,
    "",
    "[customer_config]",
    "aws_access_key_id = AKIACUSTOMER0EXAMPLE",
    "aws_secret_access_key = c+u/s=t",
    "",
  ].join(eol);
}

/** What every client must resolve from handKept(), plus saas_user when given. */
function expectedProfiles(saasUser?: Resolved): Record<string, Resolved | undefined> {
  return {
    default: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
    temp: { accessKeyId: "ASIAIOSFODNN7EXAMPLE", secretAccessKey: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY=", sessionToken: SESSION_TOKEN },
    tool: { accessKeyId: "AKIAPROCESSEXAMPLE", secretAccessKey: "--arg=1" },
    customer_config: { accessKeyId: "AKIACUSTOMER0EXAMPLE", secretAccessKey: "c+u/s=t" },
    saas_user: saasUser,
  };
}

const saasSection = (eol = "\n"): string => ["[saas_user]", `aws_access_key_id = ${SAAS.accessKeyId}`, `aws_secret_access_key = ${SAAS.secretAccessKey}`].join(eol);

const bytes = (): Buffer => readFileSync(files.credentialsFile);

/** The AWS SDK v3 (fromIni) and, when present, botocore resolve exactly these profiles from the files. */
async function expectClientsResolve(expected: Record<string, Resolved | undefined>): Promise<void> {
  const profiles = Object.keys(expected);
  expect(await sdkCredentials(files, profiles)).toEqual(expected);
  if (botocoreAvailable || botocoreRequired) expect(await botocoreCredentials(files, profiles)).toEqual(expected);
}

describe("putProfile and removeProfile edit the file, every other byte kept", () => {
  it("appends the profile to a hand-kept file, then removes it, restoring the exact bytes; all clients read every profile", async () => {
    const original = Buffer.from(handKept());
    writeFileSync(files.credentialsFile, original, { mode: 0o644 });
    await expectClientsResolve(expectedProfiles());

    putProfile(files.credentialsFile, "saas_user", SAAS);
    expect(bytes()).toEqual(Buffer.concat([original.subarray(0, -1), Buffer.from(`\n\n${saasSection()}\n`)]));
    expect(statSync(files.credentialsFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).sort()).toEqual(["bin", "config", "credentials"]);
    expect(readProfileKey(files.credentialsFile, "saas_user")).toEqual(SAAS);
    await expectClientsResolve(expectedProfiles(SAAS));

    removeProfile(files.credentialsFile, "saas_user");
    expect(bytes()).toEqual(original);
    expect(readProfileKey(files.credentialsFile, "saas_user")).toBeUndefined();
    await expectClientsResolve(expectedProfiles());
  });

  it("replaces the profile's lines in place in a CRLF file, keeping the comments around it, and removes only them", async () => {
    const before = "[default]\r\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\r\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\r\n\r\n; the flow's user\r\n";
    const after = `\r\n\r\n# From \`aws sts get-session-token\`:\r\n[temp]\r\naws_access_key_id=ASIAIOSFODNN7EXAMPLE\r\naws_secret_access_key=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY=\r\naws_session_token = ${SESSION_TOKEN}\r\n`;
    writeFileSync(files.credentialsFile, `${before}[saas_user]\r\naws_access_key_id = AKIAOLD\r\n# rotated by hand\r\naws_secret_access_key = old=${after}`);

    putProfile(files.credentialsFile, "saas_user", SAAS);
    expect(bytes()).toEqual(Buffer.from(`${before}${saasSection("\r\n")}${after}`));
    const expected = { default: expectedProfiles().default, temp: expectedProfiles().temp, saas_user: SAAS };
    await expectClientsResolve(expected);

    removeProfile(files.credentialsFile, "saas_user");
    expect(bytes()).toEqual(Buffer.from(`${before.slice(0, -2)}${after}`));
    await expectClientsResolve({ ...expected, saas_user: undefined });
  });

  it("writes CRLF into a CRLF file and restores it exactly on removal", async () => {
    const original = Buffer.from(handKept("\r\n"));
    writeFileSync(files.credentialsFile, original);
    putProfile(files.credentialsFile, "saas_user", SAAS);
    expect(bytes()).toEqual(Buffer.concat([original.subarray(0, -2), Buffer.from(`\r\n\r\n${saasSection("\r\n")}\r\n`)]));
    await expectClientsResolve(expectedProfiles(SAAS));
    removeProfile(files.credentialsFile, "saas_user");
    expect(bytes()).toEqual(original);
  });

  it("keeps a missing final newline missing, through put and remove", async () => {
    const original = Buffer.from(handKept().trimEnd());
    writeFileSync(files.credentialsFile, original);
    putProfile(files.credentialsFile, "saas_user", SAAS);
    expect(bytes()).toEqual(Buffer.concat([original, Buffer.from(`\n\n${saasSection()}`)]));
    await expectClientsResolve(expectedProfiles(SAAS));
    removeProfile(files.credentialsFile, "saas_user");
    expect(bytes()).toEqual(original);
  });

  it("leaves the file untouched when the profile already holds the same key, or is absent on removal", async () => {
    writeFileSync(files.credentialsFile, handKept());
    putProfile(files.credentialsFile, "saas_user", SAAS);
    const written = bytes();
    const { ino, mtimeMs } = statSync(files.credentialsFile);
    putProfile(files.credentialsFile, "saas_user", SAAS);
    removeProfile(files.credentialsFile, "someone_else");
    expect(bytes()).toEqual(written);
    expect(statSync(files.credentialsFile)).toMatchObject({ ino, mtimeMs });
    await expectClientsResolve(expectedProfiles(SAAS));
  });

  it("replaces a profile written twice with one copy (botocore refuses duplicates), and removes every copy", async () => {
    const other = "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    writeFileSync(files.credentialsFile, `[saas_user]\naws_access_key_id = AKIAONE\naws_secret_access_key = one\n\n${other}\n[saas_user]\naws_access_key_id = AKIATWO\n`);
    putProfile(files.credentialsFile, "saas_user", SAAS);
    expect(bytes().toString()).toBe(`${saasSection()}\n\n${other}`);
    await expectClientsResolve({ default: expectedProfiles().default, saas_user: SAAS });
    removeProfile(files.credentialsFile, "saas_user");
    expect(bytes().toString()).toBe(other);
  });

  it("takes `[ saas_user ]` and `[profile saas_user]` for other profiles, as the SDK and botocore do", async () => {
    const original = "[ saas_user ]\naws_access_key_id = AKIASPACED\naws_secret_access_key = spaced\n\n[profile saas_user]\naws_access_key_id = AKIAPREFIXED\naws_secret_access_key = prefixed\n";
    writeFileSync(files.credentialsFile, original);
    expect(readProfileKey(files.credentialsFile, "saas_user")).toBeUndefined();
    await expectClientsResolve({ saas_user: undefined, " saas_user ": { accessKeyId: "AKIASPACED", secretAccessKey: "spaced" } });
    putProfile(files.credentialsFile, "saas_user", SAAS);
    expect(bytes().toString()).toBe(`${original.trimEnd()}\n\n${saasSection()}\n`);
    await expectClientsResolve({ saas_user: SAAS, " saas_user ": { accessKeyId: "AKIASPACED", secretAccessKey: "spaced" } });
  });

  it("creates a missing file (mode 0600) and removes its own section back to nothing; removal never creates a file", () => {
    const fresh = join(dir, "fresh");
    removeProfile(fresh, "saas_user");
    expect(readdirSync(dir)).not.toContain("fresh");
    putProfile(fresh, "saas_user", SAAS);
    expect(readFileSync(fresh, "utf8")).toBe(`${saasSection()}\n`);
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    removeProfile(fresh, "saas_user");
    expect(readFileSync(fresh, "utf8")).toBe("");
  });

  it("edits a symlinked file where it lives, keeping the link", () => {
    mkdirSync(join(dir, "dotfiles"));
    const target = join(dir, "dotfiles", "credentials");
    writeFileSync(target, handKept());
    symlinkSync(target, files.credentialsFile);
    putProfile(files.credentialsFile, "saas_user", SAAS);
    expect(lstatSync(files.credentialsFile).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, "utf8")).toBe(`${handKept().trimEnd()}\n\n${saasSection()}\n`);
  });

  it("refuses what would not read back, naming the problem without printing the secret, and leaves the file alone", () => {
    writeFileSync(files.credentialsFile, handKept());
    chmodSync(files.credentialsFile, 0o644);
    for (const profile of ["saas user", "saas]user", "__proto__", ""]) {
      expect(() => putProfile(files.credentialsFile, profile, SAAS)).toThrow(/cannot be used in a credentials file/);
    }
    for (const secretAccessKey of ["two words", "#starts-a-comment", "", "tab\tinside"]) {
      const attempt = () => putProfile(files.credentialsFile, "saas_user", { accessKeyId: SAAS.accessKeyId, secretAccessKey });
      expect(attempt).toThrow(/secret access key for profile saas_user cannot be written/);
      try {
        attempt();
      } catch (error) {
        if (secretAccessKey) expect((error as Error).message).not.toContain(secretAccessKey);
      }
    }
    expect(bytes().toString()).toBe(handKept());
    expect(statSync(files.credentialsFile).mode & 0o777).toBe(0o644);
  });

  it("refuses to edit a file that is not UTF-8, leaving its bytes as they were", () => {
    const latin1 = Buffer.concat([Buffer.from("# caf"), Buffer.from([0xe9]), Buffer.from("\n[default]\naws_access_key_id = A\naws_secret_access_key = a\n")]);
    writeFileSync(files.credentialsFile, latin1);
    expect(() => putProfile(files.credentialsFile, "saas_user", SAAS)).toThrow(/is not UTF-8 text/);
    expect(bytes()).toEqual(latin1);
  });
});

describe("readProfileKey reads a key as the AWS SDK's fromIni does", () => {
  const cases: Record<string, string> = {
    "inline comments": "[saas_user]\naws_access_key_id = AKIA1 # note\naws_secret_access_key = s1;x ; note\n",
    "a comment after the header": "[saas_user] # mine\naws_access_key_id = AKIA2\naws_secret_access_key = s2\n",
    "quotes kept, `=` in values": '[saas_user]\naws_access_key_id=AKIA3\naws_secret_access_key = "s3=="\n',
    "a nested block's keys are not the profile's": "[saas_user]\ns3 =\n  aws_access_key_id = NESTED\naws_access_key_id = AKIA4\naws_secret_access_key = s4\n",
    "a profile written twice, merged, later keys winning": "[saas_user]\naws_access_key_id = AKIAA\naws_secret_access_key = a\n[default]\n[saas_user]\naws_access_key_id = AKIAB\n",
    "a missing secret": "[saas_user]\naws_access_key_id = AKIA5\n",
    "keys under another profile": "[other]\naws_access_key_id = AKIA6\naws_secret_access_key = s6\n",
  };
  for (const [name, text] of Object.entries(cases)) {
    it(name, async () => {
      writeFileSync(files.credentialsFile, text);
      const sdk = (await sdkCredentials(files, ["saas_user"])).saas_user;
      expect(readProfileKey(files.credentialsFile, "saas_user")).toEqual(sdk && { accessKeyId: sdk.accessKeyId, secretAccessKey: sdk.secretAccessKey });
    });
  }

  it("a missing file has no key", () => {
    expect(readProfileKey(join(dir, "absent"), "saas_user")).toBeUndefined();
  });
});
