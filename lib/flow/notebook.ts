import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureLocalAwsRunning, stopLocalAws } from "../local-aws/background.ts";
import { defaultConfig } from "../local-aws/config.ts";
import { projectRoot } from "../project-root.ts";
import { FlowContext, flowSettings } from "./flow-context.ts";
import type { TrainingMode } from "./automl-job.ts";
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
  dataPath?: DataPath;
  maxCandidates?: number;
  /** Autopilot's training mode: AUTO (the default, as the blog's job), ENSEMBLING or HYPERPARAMETER_TUNING. */
  mode?: TrainingMode;
  /** The candidate the deploy step deploys (a name from the leaderboard); the job's best by default. */
  candidate?: string;
  leastPrivilege?: boolean;
  /**
   * The local AWS only: seconds before its IAM changes take effect, as real IAM's eventual
   * consistency (`--iam-delay`); used when this notebook starts it.
   */
  iamDelaySeconds?: number;
  /** The folder the notebooks of one run share (run state, data files, and the local AWS's state): .notebook-run by default. */
  workDir?: string;
}

/** The run folder: the option, else $AUTOPILOT_NOTEBOOK_DIR, else .notebook-run in the project. */
export function notebookWorkDir(options: NotebookOptions = {}): string {
  return resolve(options.workDir ?? process.env.AUTOPILOT_NOTEBOOK_DIR ?? join(projectRoot(), ".notebook-run"));
}

function localAwsDir(workDir: string): string {
  return join(workDir, "local-aws");
}

/** A run as notebooks use it: steps are run one cell at a time, and what they hand back is kept in `results`. */
export class NotebookRun extends FlowContext {
  readonly results: StepResults = {};

  /** Runs the steps in order, printing each as `npm start` does. */
  async step(...names: StepName[]): Promise<void> {
    await runSteps(this, names, this.results);
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
    leastPrivilege: options.leastPrivilege ?? false,
    workDir,
    log: (line: string) => console.log(line),
  };
  return new NotebookRun(flowSettings(target, choices));
}

/** Stops the background local AWS of the notebooks' run (its state stays in the run folder); false if none was running. */
export function stopNotebookLocalAws(options: NotebookOptions = {}): Promise<boolean> {
  return stopLocalAws(localAwsDir(notebookWorkDir(options)));
}
