import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BLOG_NAMES } from "../../lib/flow/names.ts";
import { executeNotebooks, readNotebook, type CellOutput, type Notebook } from "../../lib/jupyter/execute.ts";
import { ensureLocalAwsRunning, runningServer, stopLocalAws } from "../../lib/local-aws/background.ts";
import { startLocalAws } from "../../lib/local-aws/index.ts";
import { leftovers } from "../flow/leftovers.ts";
import { mustHavePeers } from "../helpers/peer-clients.ts";

// The notebooks as a reader runs them: Debian's Jupyter, the tslab kernel, the compiled library (npm test
// builds it first), the local AWS in the background, found by the first notebook and stopped by the last.
// It runs with IAM changes taking effect a second late, as AWS's do, so the notebooks wait them out.

function jupyterAvailable(): boolean {
  try {
    execFileSync("jupyter", ["nbconvert", "--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const available = jupyterAvailable();
if (!available && mustHavePeers()) throw new Error("jupyter nbconvert is missing: CI installs jupyter-nbconvert and python3-nbclient");
const compiled = existsSync(new URL("../../lib/dist/flow/index.js", import.meta.url));
if (available && !compiled) throw new Error("lib/dist is missing: run `npm run build` (npm test does) before the notebook tests");

const IAM_DELAY_SECONDS = 1;

function text(output: CellOutput): string {
  const value = output.text ?? output.data?.["text/plain"] ?? output.data?.["text/html"] ?? "";
  return Array.isArray(value) ? value.join("") : value;
}

function outputs(notebook: Notebook): CellOutput[] {
  return notebook.cells.flatMap((cell) => cell.outputs ?? []);
}

function allText(notebook: Notebook): string {
  return outputs(notebook).map(text).join("\n");
}

describe.skipIf(!available)("the notebooks, executed top to bottom on the local AWS", () => {
  const dir = mkdtempSync(join(tmpdir(), "notebooks-"));
  const workDir = join(dir, "run");
  let executed: Notebook[] = [];

  beforeAll(async () => {
    await ensureLocalAwsRunning(join(workDir, "local-aws"), { iamDelaySeconds: IAM_DELAY_SECONDS });
    const paths = await executeNotebooks({ outDir: join(dir, "executed"), env: { AUTOPILOT_NOTEBOOK_DIR: workDir }, cellTimeoutSeconds: 300 });
    executed = paths.map(readNotebook);
  }, 600_000);

  afterAll(async () => {
    // A notebook that failed before 03-cleanup leaves its background local AWS running.
    await stopLocalAws(join(workDir, "local-aws"));
    rmSync(dir, { recursive: true, force: true });
  });

  it("ran every cell without an error (nbconvert stops at the first one)", () => {
    expect(executed).toHaveLength(3);
    for (const notebook of executed) {
      expect(outputs(notebook).filter((output) => output.output_type === "error")).toEqual([]);
    }
  });

  it("sets up IAM, and the role refuses the SaaS user without the ExternalId but not with it", () => {
    const shown = allText(executed[0]!);
    expect(shown).toMatch(/found the local AWS at http:\/\/127\.0\.0\.1:\d+ \(pid \d+, log \S+, IAM changes take effect after 1 s\)/);
    expect(shown).toContain("using saas_user's new access key: InvalidClientTokenId, waiting for IAM changes to take effect");
    expect(shown).toMatch(/"sts:ExternalId": "[0-9a-f]{32}"/);
    expect(shown).toMatch(/withoutExternalId: \{\s*allowed: false,\s*error: 'AccessDenied'/);
    expect(shown).toMatch(/withExternalId: \{\s*allowed: true,\s*assumedRoleArn: 'arn:aws:sts::111111111111:assumed-role\/customer_trusting_saas\//);
    expect(shown).toMatch(/profile \[saas_user\] written to/);
    expect(shown).not.toMatch(/(AKIA|ASIA)[A-Z0-9]{16}/);
  });

  it("trains, deploys and predicts every test row, with tables and inline charts", () => {
    const notebook = executed[1]!;
    const shown = allText(notebook);
    expect(shown).toMatch(/found the local AWS at/);
    expect(shown).toContain("<th>State</th>");
    expect(shown).toMatch(/<td>False\.<\/td><td>2502<\/td>/);
    expect(shown).toMatch(/training data \(copy path\) at s3:\/\/sagemaker-us-east-1-111111111111\/autopilot-churn\/train\//);
    expect(shown).toMatch(/job churn-\S+, AUTO mode, at most 3 candidates/);
    expect(shown).toMatch(/InProgress \/ TrainingModels/);
    const best = /<tr><td>1<\/td><td>([^<]+)<\/td><td>F1<\/td><td>(0\.\d{4})<\/td><td>Completed<\/td><\/tr>/.exec(shown);
    expect(best, "a leaderboard whose first row has an F1").not.toBeNull();
    expect(Number(best![2])).toBeGreaterThan(0.85);
    expect(shown).toMatch(/status: 'Completed',\s*best: '/);
    expect(shown).toMatch(/endpoint \S+ InService/);
    const scores = /<tr><td>1000<\/td><td>(0\.\d{4})<\/td><td>(0\.\d{4})<\/td><td>(0\.\d{4})<\/td><td>(0\.\d{4})<\/td><td>(0\.\d{4})<\/td><\/tr>/.exec(shown);
    expect(scores, "the evaluation of all 1,000 test rows").not.toBeNull();
    expect(Number(scores![4])).toBeGreaterThan(0.85);
    const svgs = outputs(notebook).filter((output) => output.data?.["image/svg+xml"]);
    expect(svgs).toHaveLength(3);
    const svgText = svgs.map((output) => [output.data!["image/svg+xml"]!].flat().join("")).join("\n");
    for (const title of ["Feature importance", "Confusion matrix (1000 test rows)", "ROC curve (AUC"]) expect(svgText).toContain(title);
  });

  it("cleans up, leaves nothing in either account, and stops the local AWS", async () => {
    expect(allText(executed[2]!)).toMatch(/✔ cleanup/);
    const stateDir = join(workDir, "local-aws");
    expect(await runningServer(stateDir)).toBeUndefined();
    // The state is kept on disk: a server started on it must find both accounts empty of the run's resources.
    const aws = await startLocalAws({ stateDir });
    // The cleanup's IAM changes take effect in their order, the inspector's new key after them.
    await sleep(IAM_DELAY_SECONDS * 1000);
    try {
      const target = { kind: "local" as const, region: aws.region, endpoint: aws.endpoint, credentialsFile: aws.credentialsFile!, configFile: aws.configFile! };
      expect(await leftovers(target, BLOG_NAMES, "notebook-inspector")).toEqual([]);
    } finally {
      await aws.stop();
    }
    expect(existsSync(join(workDir, "run-state.json"))).toBe(false);
  });
});
