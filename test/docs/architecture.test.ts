import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const architecture = readFileSync(join(ROOT, "ARCHITECTURE.md"), "utf8");

/** Every file name the document puts in backticks (`steps.ts`, `server-file.ts`, ...). */
function namedModules(): string[] {
  return [...new Set([...architecture.matchAll(/`([\w-]+\.(?:ts|mjs))`/g)].map((match) => match[1]!))];
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" }).map((path) => path.split("/").at(-1)!);
}

/** The document's own claims, checked against the tree so that it stays true as the code moves. */
describe("ARCHITECTURE.md", () => {
  it("names only modules that exist under lib/", () => {
    const present = new Set(filesUnder("lib").filter((name) => !name.endsWith(".d.ts")));
    const missing = namedModules().filter((name) => !present.has(name));
    expect(missing).toEqual([]);
    expect(namedModules().length).toBeGreaterThan(20);
  });

  it("names only folders that exist", () => {
    const folders = [...architecture.matchAll(/`((?:lib|services|auth|store|protocols|learners|search|analysis|serving|autopilot-artifacts)[\w/-]*\/)`/g)].map((match) => match[1]!);
    const resolved = folders.map((folder) => [folder, ["", "lib/", "lib/local-aws/", "lib/local-aws/services/sagemaker/", "lib/automl/", "lib/automl/learners/"].some((base) => existsSync(join(ROOT, base, folder)))] as const);
    expect(resolved.filter(([, exists]) => !exists).map(([folder]) => folder)).toEqual([]);
  });

  it("describes every top-level folder of lib/ and every local service", () => {
    const libFolders = readdirSync(join(ROOT, "lib"), { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== "dist").map((entry) => entry.name);
    for (const folder of libFolders) expect(architecture, `lib/${folder}`).toContain(`${folder}/`);
    const services = readdirSync(join(ROOT, "lib/local-aws/services"), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    const described = { iam: "IAM", s3: "S3", sagemaker: "SageMaker", sts: "STS" } as Record<string, string>;
    for (const service of services) expect(architecture, service).toContain(described[service] ?? service);
  });
});
