import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { putProfile, readProfileKey, removeProfile } from "../../lib/flow/credentials-file.ts";

let dir: string;
let file: string;
const EXISTING = "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = secret0\n\n[customer_config]\naws_access_key_id = AKIACUSTOMER\naws_secret_access_key = secret1\nregion = eu-west-1\n";

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "credentials-"));
  file = join(dir, "credentials");
  writeFileSync(file, EXISTING, { mode: 0o644 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the credentials file", () => {
  it("adds a profile and keeps every other one, mode 0600, no temp file left", () => {
    putProfile(file, "saas_user", { accessKeyId: "AKIASAAS", secretAccessKey: "secret2" });
    expect(readProfileKey(file, "saas_user")).toEqual({ accessKeyId: "AKIASAAS", secretAccessKey: "secret2" });
    expect(readProfileKey(file, "default")).toEqual({ accessKeyId: "AKIADEFAULT", secretAccessKey: "secret0" });
    expect(readFileSync(file, "utf8")).toContain("region = eu-west-1");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(["credentials"]);
  });

  it("replaces the profile's key on a re-run", () => {
    putProfile(file, "saas_user", { accessKeyId: "AKIAOLD", secretAccessKey: "old" });
    putProfile(file, "saas_user", { accessKeyId: "AKIANEW", secretAccessKey: "new" });
    expect(readProfileKey(file, "saas_user")).toEqual({ accessKeyId: "AKIANEW", secretAccessKey: "new" });
  });

  it("removes only that profile, and tolerates one already gone or a missing file", () => {
    putProfile(file, "saas_user", { accessKeyId: "AKIASAAS", secretAccessKey: "secret2" });
    removeProfile(file, "saas_user");
    removeProfile(file, "saas_user");
    expect(readProfileKey(file, "saas_user")).toBeUndefined();
    expect(readFileSync(file, "utf8")).toBe(EXISTING);
    removeProfile(join(dir, "absent"), "saas_user");
    expect(readdirSync(dir)).toEqual(["credentials"]);
  });

  it("creates the file when there is none", () => {
    const fresh = join(dir, "fresh");
    putProfile(fresh, "saas_user", { accessKeyId: "AKIASAAS", secretAccessKey: "secret2" });
    expect(readFileSync(fresh, "utf8")).toBe("[saas_user]\naws_access_key_id = AKIASAAS\naws_secret_access_key = secret2\n");
  });
});
