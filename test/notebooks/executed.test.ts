import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../../lib/automl/csv.ts";
import { BLOG_NAMES } from "../../lib/flow/names.ts";
import { executeNotebook, executeNotebooks, exportHtml, readNotebook, type CellOutput, type Notebook } from "../../lib/jupyter/execute.ts";
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

/** The PNG images a notebook displays, decoded. */
function pngImages(notebook: Notebook): Buffer[] {
  return outputs(notebook).flatMap((output) => {
    const png = output.data?.["image/png"];
    return png === undefined ? [] : [Buffer.from([png].flat().join(""), "base64")];
  });
}

/** What nbconvert's HTML shows as images: every `<img>` whose source is an embedded PNG. */
function htmlPngs(html: string): string[] {
  return [...html.matchAll(/<img src="data:image\/png;base64,([A-Za-z0-9+/=\s]+)"/g)].map((match) => match[1]!.replace(/\s/g, ""));
}

const isPng = (image: Buffer) => image.subarray(1, 4).toString("latin1") === "PNG";

describe.skipIf(!available)("the notebooks, executed top to bottom on the local AWS", () => {
  const dir = mkdtempSync(join(tmpdir(), "notebooks-"));
  const workDir = join(dir, "run");
  let paths: string[] = [];
  let executed: Notebook[] = [];

  beforeAll(async () => {
    await ensureLocalAwsRunning(join(workDir, "local-aws"), { iamDelaySeconds: IAM_DELAY_SECONDS });
    paths = await executeNotebooks({ outDir: join(dir, "executed"), env: { AUTOPILOT_NOTEBOOK_DIR: workDir }, cellTimeoutSeconds: 300 });
    executed = paths.map(readNotebook);
  }, 600_000);

  afterAll(async () => {
    // A notebook that failed before 03-cleanup leaves its background local AWS running.
    await stopLocalAws(join(workDir, "local-aws"));
    rmSync(dir, { recursive: true, force: true });
  });

  it("ran every cell without an error (nbconvert stops at the first one), numbered in the order they ran", () => {
    expect(executed).toHaveLength(3);
    for (const notebook of executed) {
      expect(outputs(notebook).filter((output) => output.output_type === "error" || output.name === "stderr")).toEqual([]);
      const code = notebook.cells.filter((cell) => cell.cell_type === "code");
      expect(code.map((cell) => cell.execution_count)).toEqual(code.map((_, i) => i + 1));
    }
  });

  it("sets up IAM one call per cell, and the role refuses the SaaS user without the ExternalId but not with it", () => {
    const shown = allText(executed[0]!);
    expect(shown).toMatch(/found the local AWS at http:\/\/127\.0\.0\.1:\d+ \(pid \d+, log \S+, IAM changes take effect after 1 s\)/);
    expect(shown).toMatch(/"sts:ExternalId": "[0-9a-f]{32}"/);
    expect(shown).toMatch(/created arn:aws:iam::111111111111:policy\/customer_s3\n/);
    expect(shown).toMatch(/created arn:aws:iam::111111111111:role\/customer_trusting_saas\n/);
    expect(shown).toMatch(/created arn:aws:iam::222222222222:policy\/saas_assume_customer_role\n/);
    expect(shown).toContain("attached arn:aws:iam::aws:policy/AmazonSageMakerFullAccess to customer_trusting_saas");
    expect(shown).toContain("created group AutopilotUsers");
    expect(shown).toContain("attached arn:aws:iam::222222222222:policy/saas_s3 to AutopilotUsers");
    expect(shown).toContain("created user saas_user");
    expect(shown).toContain("saas_user is in AutopilotUsers");
    expect(shown).toMatch(/profile \[saas_user\] written to/);
    expect(shown).toContain("arn:aws:iam::222222222222:user/saas_user");
    expect(shown).toMatch(/withoutExternalId: \{\s*allowed: false,\s*error: 'AccessDenied'/);
    expect(shown).toMatch(/withExternalId: \{\s*allowed: true,\s*assumedRoleArn: 'arn:aws:sts::111111111111:assumed-role\/customer_trusting_saas\//);
    expect(shown).not.toMatch(/(AKIA|ASIA)[A-Z0-9]{16}/);
  });

  it("trains, deploys and predicts every test row, with the leaderboard once, the predictions and the charts", () => {
    const notebook = executed[1]!;
    const shown = allText(notebook);
    expect(shown).toMatch(/found the local AWS at/);
    const preview = outputs(notebook).map(text).find((html) => html.includes("<th>State</th>"));
    expect(preview, "the data preview").toBeDefined();
    expect(preview).toMatch(/<td>\d+\.\d{2}<\/td>/);
    expect(preview).not.toMatch(/<td>-?\d+\.\d{3,}<\/td>/); // rounded: the file has up to 16 decimals
    expect(shown).toMatch(/<td>False\.<\/td><td>2502<\/td>/);
    expect(shown).toMatch(/assumedRole: 'arn:aws:sts::111111111111:assumed-role\/customer_trusting_saas\/autopilot-saas'/);
    expect(shown).toMatch(/training data \(copy path\) at s3:\/\/sagemaker-us-east-1-111111111111\/autopilot-churn\/train\//);
    expect(shown).toMatch(/job churn-\S+, AUTO mode, at most 3 candidates/);
    expect(shown).toMatch(/InProgress \/ TrainingModels/);
    expect(shown.match(/<th>rank<\/th>/g)).toHaveLength(1);
    const best = /<tr><td>★<\/td><td>1<\/td><td>([^<]+)<\/td><td>[^<]+<\/td><td>(0\.\d{4})<\/td><td>[^<]+<\/td><td>Completed<\/td>/.exec(shown);
    expect(best, "a leaderboard whose first row is the job's best, with its F1").not.toBeNull();
    expect(Number(best![2])).toBeGreaterThan(0.85);
    expect(shown).toMatch(/status: 'Completed',\s*best: '/);
    expect(shown).toMatch(/endpoint \S+ InService/);
    expect(shown).toMatch(/\{"predicted_label":"(True|False)\.","probabilities":\[[\d.e-]+,[\d.e-]+\],"labels":\["False\.","True\."\]\}/);
    const scores = /<tr><td>1000<\/td><td>(0\.\d{4})<\/td><td>(0\.\d{4})<\/td><td>(0\.\d{4})<\/td><td>(0\.\d{4})<\/td><td>(0\.\d{4})<\/td><\/tr>/.exec(shown);
    expect(scores, "the evaluation of all 1,000 test rows").not.toBeNull();
    expect(Number(scores![4])).toBeGreaterThan(0.85);
    expect(shown).toMatch(/<th>predicted_label<\/th>/);
    // Feature importance, the confusion matrix, the ROC and precision-recall curves and the threshold view; then the last four again, from the transform job's answers.
    const images = pngImages(notebook);
    expect(images).toHaveLength(9);
    for (const image of images) expect(isPng(image)).toBe(true);
    expect(outputs(notebook).filter((output) => output.data?.["image/svg+xml"])).toEqual([]);
  });

  it("scores the same rows with a transform job, whose output joined to its rows agrees with the endpoint's row for row", () => {
    const notebook = executed[1]!;
    const shown = allText(notebook);
    const transformJob = /^transform job (churn-\d{8}-\d{6}-[0-9a-f]{4}-batch-[0-9a-f]{4})$/m.exec(shown)?.[1];
    expect(transformJob, "the transform job's name").toBeDefined();
    expect(shown).toContain(`model ${transformJob}-model\n`);
    expect(shown).toContain(`1000 test rows at s3://sagemaker-us-east-1-111111111111/autopilot-churn/batch/${transformJob}/input/\n`);
    expect(shown).toMatch(/^Completed, \d+ s$/m);
    // The first lines of test_features.csv.out: a test row's 20 features, then predicted_label, probabilities and labels.
    const joined = shown.split("\n").filter((line) => /,(True|False)\.,"\[[\d.e-]+, [\d.e-]+\]","\['False\.', 'True\.'\]"$/.test(line));
    expect(joined).toHaveLength(3);
    for (const line of joined) expect(parseCsv(line)[0]).toHaveLength(23);
    expect(shown).toContain("the transform job and the endpoint agree on all 1000 rows (label and every probability)");
    const evaluations = [...shown.matchAll(/<tr><td>1000<\/td>(<td>0\.\d{4}<\/td>){5}<\/tr>/g)].map((match) => match[0]);
    expect(evaluations).toHaveLength(2);
    expect(evaluations[1]).toBe(evaluations[0]);
    expect(shown).toContain("test rows as the transform job predicted them;");
    // The transform job's charts are the endpoint's: the same answers.
    const images = pngImages(notebook).map((image) => image.toString("base64"));
    expect(images.slice(5)).toEqual(images.slice(1, 5));
  });

  it("shows every chart as an image in the HTML export, as Debian's nbconvert writes it", async () => {
    const html = await exportHtml(paths);
    const images = htmlPngs(readFileSync(html[1]!, "utf8"));
    expect(images.map((image) => Buffer.from(image, "base64")).filter(isPng)).toHaveLength(9);
    expect(images).toEqual(pngImages(executed[1]!).map((image) => image.toString("base64")));
  });

  it("cleans up one removal at a time, leaves nothing in either account, and stops the local AWS", async () => {
    const shown = allText(executed[2]!);
    for (const removed of ["endpoint churn-", "model churn-", "bucket sagemaker-us-east-1-111111111111", "user saas_user", "group AutopilotUsers", "role customer_trusting_saas", "policy customer_s3"]) {
      expect(shown).toContain(`  removed ${removed}`);
    }
    // The transform job had ended by itself; its model, output and input go.
    expect(shown).toMatch(/^transform job (churn-\S+-batch-[0-9a-f]{4}) had ended Completed: SageMaker keeps it, at no cost$/m);
    expect(shown).toMatch(/^ {2}removed model churn-\S+-batch-[0-9a-f]{4}-model$/m);
    expect(shown).toMatch(/^ {2}removed transform job churn-\S+-batch-[0-9a-f]{4}'s output \(s3:\/\/sagemaker-us-east-1-111111111111\/autopilot-churn\/batch\/churn-\S+\/output\/\)$/m);
    expect(shown).toMatch(/^ {2}removed transform job churn-\S+-batch-[0-9a-f]{4}'s input in s3:\/\/sagemaker-us-east-1-111111111111$/m);
    expect(shown).toMatch(/cleanup: \d+ removed, 0 already gone, 0 failed/);
    expect(shown).toContain("stopped the local AWS; its state stays in");
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

describe.skipIf(!available)("a notebook run before the one it needs", () => {
  const dir = mkdtempSync(join(tmpdir(), "notebook-order-"));
  const workDir = join(dir, "run");

  afterAll(async () => {
    await stopLocalAws(join(workDir, "local-aws"));
    rmSync(dir, { recursive: true, force: true });
  });

  it("02 without 01 says in one line to run 01 first, with no stack trace, and nothing after it runs", async () => {
    const path = await executeNotebook("02-autopilot-cross-account.ipynb", { outDir: dir, env: { AUTOPILOT_NOTEBOOK_DIR: workDir }, cellTimeoutSeconds: 120, allowErrors: true });
    const cells = readNotebook(path).cells.filter((cell) => cell.cell_type === "code");
    const errors = cells[0]!.outputs!.filter((output) => output.name === "stderr").map(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Run notebooks\/01-iam-setup\.ipynb first: the run in \S+ has no ExternalId yet \(notebook 1 makes it and creates the role with it\)\n$/);
    const everything = readNotebook(path).cells.flatMap((cell) => cell.outputs ?? []).map(text).join("\n");
    expect(everything).not.toMatch(/\n\s+at /);
    // The first cell failed whole, so the cells after it know nothing of the run and call nothing.
    expect(everything).not.toMatch(/churn-\d{8}/);
  }, 300_000);
});
