import { GetRoleCommand, GetUserCommand } from "@aws-sdk/client-iam";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { inspect } from "node:util";
import { ensureLocalAwsRunning, stopLocalAws } from "../local-aws/background.ts";
import { defaultConfig } from "../local-aws/config.ts";
import { projectRoot } from "../project-root.ts";
import { isGone } from "./aws-errors.ts";
import { CleanupIncompleteError, CleanupReport, type Removal } from "./cleanup-report.ts";
import { FlowContext, flowSettings } from "./flow-context.ts";
import type { TrainingMode } from "./automl-job.ts";
import { checkConfigurationProfiles } from "./profile-check.ts";
import type { DataPath } from "./s3-transfer.ts";
import { runSteps, type StepName, type StepResults } from "./steps.ts";
import type { Target } from "./sessions.ts";
import { BLOG_NAMES } from "./names.ts";
import { resolveRegion } from "./region.ts";
import { awsTarget, sharedFiles } from "./targets.ts";

/** What a notebook's first cell chooses; everything has the blog's default. */
export interface NotebookOptions {
  /** "local" (the default): the local two-account AWS, started in the background if it is not running; "aws": your real profiles. */
  target?: "local" | "aws";
  /**
   * Real AWS only (the local AWS has its own): the region asked for; else AWS_REGION,
   * AWS_DEFAULT_REGION, or the region of the customer_config profile in the config file.
   */
  region?: string;
  /** How `run.step("upload")` hands the training data over, and `run.step("batch")` the test rows (the notebook's own cells take the copy way, and the local way for the test rows). */
  dataPath?: DataPath;
  maxCandidates?: number;
  /** Autopilot's training mode: AUTO (the default, as the blog's job), ENSEMBLING or HYPERPARAMETER_TUNING. */
  mode?: TrainingMode;
  /** The candidate `run.step("deploy")` deploys and `run.step("batch")` scores with (a name from the leaderboard); the job's best by default. */
  candidate?: string;
  /**
   * The local AWS only: seconds before its IAM changes take effect, as real IAM's eventual
   * consistency (`--iam-delay`); used when this notebook starts it.
   */
  iamDelaySeconds?: number;
  /** The folder the notebooks of one run share (run state, data files, and the local AWS's state): .notebook-run by default. */
  workDir?: string;
}

/** The notebooks, by file name without `.ipynb`, in the order they run. */
export const NOTEBOOKS = ["01-iam-setup", "02-autopilot-cross-account", "03-cleanup"] as const;
export type NotebookName = (typeof NOTEBOOKS)[number];

/** The run folder: the option, else $AUTOPILOT_NOTEBOOK_DIR, else .notebook-run in the project. */
export function notebookWorkDir(options: NotebookOptions = {}): string {
  return resolve(options.workDir ?? process.env.AUTOPILOT_NOTEBOOK_DIR ?? join(projectRoot(), ".notebook-run"));
}

function localAwsDir(workDir: string): string {
  return join(workDir, "local-aws");
}

/**
 * Something a notebook needs is not there: the message says, in one line, what to run or set up
 * first. tslab prints a failed cell's error through `util.inspect`, so this one shows its message
 * alone, not a stack trace that would bury it.
 */
export class PrerequisiteError extends Error {
  override name = "PrerequisiteError";

  [inspect.custom](): string {
    return this.message;
  }
}

/** A path as a reader of the project knows it: relative to the project when inside it. */
function shortPath(path: string): string {
  const inProject = relative(projectRoot(), path);
  return inProject && !inProject.startsWith("..") ? inProject : path;
}

const runFirst = (notebook: NotebookName, why: string) => new PrerequisiteError(`Run notebooks/${notebook}.ipynb first: ${why}`);

/** False when IAM says the entity does not exist; any other answer (one that may not look, say) counts as there. */
async function exists(lookUp: () => Promise<unknown>): Promise<boolean> {
  try {
    await lookUp();
    return true;
  } catch (error) {
    return !isGone(error);
  }
}

/** A run as notebooks use it: one cell per AWS call, or a whole step at once, with what steps hand back kept in `results`. */
export class NotebookRun extends FlowContext {
  readonly results: StepResults = {};
  private readonly removals = new CleanupReport((line) => this.settings.log(line));

  /** Runs the steps in order, printing each as `npm start` does. */
  async step(...names: StepName[]): Promise<void> {
    await runSteps(this, names, this.results);
  }

  /**
   * Checks what `notebook` needs before it calls AWS: on real AWS the two configuration profiles;
   * for notebook 2, what notebook 1 creates; for notebook 3, a run to clean up. Throws a
   * PrerequisiteError that says in one line what to run first.
   */
  async checkPrerequisites(notebook: NotebookName): Promise<void> {
    if (this.settings.target.kind === "aws") {
      try {
        (await checkConfigurationProfiles(this.settings.target, this.names)).forEach((line) => this.settings.log(line));
      } catch (error) {
        throw new PrerequisiteError(`Set up the configuration profiles first: ${(error as Error).message.replace(/\n/g, " ")}`);
      }
    }
    if (notebook === "02-autopilot-cross-account") await this.checkIamSetUp();
    if (notebook === "03-cleanup" && Object.keys(this.state.read()).length === 0) {
      throw new PrerequisiteError(`Nothing to clean up: no run is recorded in ${shortPath(this.state.path)} (notebooks 01 and 02 record there what they create)`);
    }
  }

  /** What notebook 1 leaves: the run's ExternalId, the customer's role and the SaaS user. */
  private async checkIamSetUp(): Promise<void> {
    if (!this.state.read().externalId) throw runFirst("01-iam-setup", `the run in ${shortPath(this.settings.workDir)} has no ExternalId yet (notebook 1 makes it and creates the role with it)`);
    const accounts = await this.accounts();
    const lookUps: [string, () => Promise<unknown>][] = [
      [`role ${this.names.role} does not exist in the customer account ${accounts.customer}`, () => this.customerConfig().iam.send(new GetRoleCommand({ RoleName: this.names.role }))],
      [`user ${this.names.user} does not exist in the SaaS account ${accounts.saas}`, () => this.saasConfig().iam.send(new GetUserCommand({ UserName: this.names.user }))],
    ];
    for (const [missing, lookUp] of lookUps) if (!(await exists(lookUp))) throw runFirst("01-iam-setup", missing);
  }

  /**
   * One removal of the cleanup notebook: runs `action` (its AWS calls) and says what it found:
   * removed, already gone (AWS's "no such ..." answer, or `action` saying so), or could not and why.
   * A failure does not stop the notebook: `finishCleanup` names every one. `ifPresent`: says nothing
   * when the thing is already gone (one that only a failure leaves behind, such as a bucket policy).
   */
  async remove(what: string, action: () => Promise<unknown>, options: { ifPresent?: boolean } = {}): Promise<void> {
    const run = async (): Promise<Removal> => ((await action()) === "already gone" ? "already gone" : "removed");
    await this.removals.run({ what, run, ...options });
  }

  /**
   * The cleanup notebook's last step: the run's data files go, and a summary of every removal is
   * printed. Everything gone, the run-state file goes too; otherwise it is kept and the error names
   * what is left (running the notebook again retries it; `run.step("cleanup")` also acts as the
   * configuration profiles where the run's user or role is gone).
   */
  async finishCleanup(): Promise<void> {
    await this.remove(`the run's data files in ${this.dataDir}`, async () => {
      const present = existsSync(this.dataDir);
      rmSync(this.dataDir, { recursive: true, force: true });
      return present ? "removed" : "already gone";
    });
    this.settings.log(this.removals.summary());
    if (this.removals.failures.length > 0) {
      this.settings.log(`  kept the run state ${this.state.path}; run this notebook again, or \`await run.step("cleanup")\`, which acts as the configuration profiles where the run's user or role is gone`);
      throw new CleanupIncompleteError(this.removals.failures);
    }
    rmSync(this.state.path, { force: true });
  }
}

/**
 * Opens the run the notebooks share: on the local AWS (found running, or started in the background so that
 * all three notebooks talk to the same one) or on real AWS. Opening it again, in any notebook or after a
 * kernel restart, reconnects to the same run through its run-state file.
 */
export async function openNotebookRun(options: NotebookOptions = {}): Promise<NotebookRun> {
  const workDir = notebookWorkDir(options);
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  let target: Target;
  if ((options.target ?? "local") === "local") {
    const dir = localAwsDir(workDir);
    const server = await ensureLocalAwsRunning(dir, options.iamDelaySeconds === undefined ? {} : { iamDelaySeconds: options.iamDelaySeconds });
    const delay = server.iamDelaySeconds ? `, IAM changes take effect after ${server.iamDelaySeconds} s` : "";
    console.log(`${server.started ? "started" : "found"} the local AWS at ${server.endpoint} (pid ${server.pid}, log ${server.logFile}${delay})`);
    target = {
      kind: "local",
      region: defaultConfig().region,
      endpoint: server.endpoint,
      credentialsFile: join(dir, "credentials"),
      configFile: join(dir, "config"),
      iamDelaySeconds: server.iamDelaySeconds,
    };
  } else {
    const region = resolveRegion({ ...(options.region && { explicit: options.region }), profile: BLOG_NAMES.customerProfile, configFile: sharedFiles().configFile });
    target = awsTarget(region.region).target;
    console.log(`real AWS in ${target.region} (${region.source}), profiles from ${target.credentialsFile}`);
  }
  const choices = {
    dataPath: options.dataPath ?? "local",
    maxCandidates: options.maxCandidates ?? (target.kind === "local" ? 3 : 10),
    mode: options.mode ?? "AUTO",
    ...(options.candidate !== undefined && { candidate: options.candidate }),
    // The notebooks' cells create the blog's one role; `npm start -- --least-privilege` shows the split one.
    leastPrivilege: false,
    workDir,
    log: (line: string) => console.log(line),
  };
  return new NotebookRun(flowSettings(target, choices));
}

/** Stops the background local AWS of the notebooks' run, saying so (its state stays in the run folder); false if none was running. */
export async function stopNotebookLocalAws(options: NotebookOptions = {}): Promise<boolean> {
  const dir = localAwsDir(notebookWorkDir(options));
  const stopped = await stopLocalAws(dir);
  console.log(stopped ? `stopped the local AWS; its state stays in ${dir}, and the next notebook to open the run starts it again` : "the local AWS was not running");
  return stopped;
}
