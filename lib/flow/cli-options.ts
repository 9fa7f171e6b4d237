import { parseArgs } from "node:util";
import { TRAINING_MODES, type TrainingMode } from "./automl-job.ts";
import { DATA_PATHS, type DataPath } from "./s3-transfer.ts";
import { STEP_NAMES, type StepName } from "./steps.ts";

export interface CliOptions {
  target: "local" | "aws";
  stateDir?: string;
  /** The steps to run: all of them (cleanup last unless --keep), or the one --step names. */
  steps: StepName[];
  keep: boolean;
  /** A separate SageMaker execution role, and a cross-account role with only what it uses. */
  leastPrivilege: boolean;
  dataPath: DataPath;
  maxCandidates: number;
  mode: TrainingMode;
  /** The candidate to deploy, by name from the leaderboard; the job's best when absent. */
  candidate?: string;
  /** Real AWS: the region asked for; else resolved from the environment and the profile (see resolveRegion). */
  region?: string;
  /** The local AWS: seconds before IAM changes take effect, as real IAM's eventual consistency. */
  iamDelaySeconds: number;
  /** --target aws only: an AWS-compatible endpoint every client uses (endpoint settings in the environment are then ignored). */
  endpointUrl?: string;
  /** Real AWS only runs once the user has read what it will create and bill. */
  yes: boolean;
  /** Where the charts of the results (confusion matrix, ROC curve, feature importance) are written. */
  resultsDir: string;
}

export const USAGE = `usage: npm start -- [--target local|aws] [--state-dir DIR] [--step ${STEP_NAMES.join("|")}]
                 [--keep] [--least-privilege] [--data-path ${DATA_PATHS.join("|")}] [--max-candidates N] [--region R] [--yes]
                 [--iam-delay SECONDS (the local AWS: IAM changes take effect this late, as on AWS)]
                 [--endpoint-url URL (--target aws: an AWS-compatible endpoint instead of AWS)]
                 [--mode ${TRAINING_MODES.join("|")}] [--candidate NAME (deploy this one, not the best)]
                 [--results DIR (charts of the results; default results)]`;

export class UsageError extends Error {}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

const FLAGS = {
  target: { type: "string", default: "local" },
  "state-dir": { type: "string" },
  step: { type: "string" },
  keep: { type: "boolean", default: false },
  "least-privilege": { type: "boolean", default: false },
  "data-path": { type: "string", default: "local" },
  "max-candidates": { type: "string" },
  mode: { type: "string", default: "AUTO" },
  candidate: { type: "string" },
  region: { type: "string" },
  "endpoint-url": { type: "string" },
  "iam-delay": { type: "string", default: "0" },
  yes: { type: "boolean", default: false },
  results: { type: "string", default: "results" },
} as const;

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: FLAGS, strict: true }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function parseCliOptions(argv: string[]): CliOptions {
  const values = parseFlags(argv);
  const target = oneOf(values.target, ["local", "aws"] as const, "--target");
  const maxCandidatesText = values["max-candidates"] ?? (target === "local" ? "3" : "10");
  const maxCandidates = Number(maxCandidatesText);
  if (!Number.isInteger(maxCandidates) || maxCandidates < 1) throw new UsageError(`--max-candidates must be a positive integer, got "${maxCandidatesText}"`);
  const step = values.step === undefined ? undefined : oneOf(values.step, STEP_NAMES, "--step");
  if (step && target === "local" && !values["state-dir"]) {
    throw new UsageError("--step on the local AWS needs --state-dir: the directory of the run it continues (printed when that run started)");
  }
  const endpointUrl = values["endpoint-url"];
  if (endpointUrl !== undefined) {
    if (target !== "aws") throw new UsageError("--endpoint-url goes with --target aws: the local AWS has its own endpoint");
    if (!URL.canParse(endpointUrl) || !/^https?:$/.test(new URL(endpointUrl).protocol)) throw new UsageError(`--endpoint-url must be an http:// or https:// URL, got "${endpointUrl}"`);
  }
  const iamDelaySeconds = Number(values["iam-delay"]);
  if (!Number.isFinite(iamDelaySeconds) || iamDelaySeconds < 0) throw new UsageError(`--iam-delay must be a number of seconds, 0 or more, got "${values["iam-delay"]}"`);
  if (iamDelaySeconds > 0 && target !== "local") throw new UsageError("--iam-delay goes with the local AWS: real IAM has its own delays");
  const allSteps = STEP_NAMES.filter((step) => !(values.keep && step === "cleanup"));
  return {
    target,
    stateDir: values["state-dir"],
    steps: step ? [step] : allSteps,
    keep: values.keep,
    leastPrivilege: values["least-privilege"],
    dataPath: oneOf(values["data-path"], DATA_PATHS, "--data-path"),
    maxCandidates,
    mode: oneOf(values.mode, TRAINING_MODES, "--mode"),
    ...(values.candidate !== undefined && { candidate: values.candidate }),
    ...(values.region !== undefined && { region: values.region }),
    iamDelaySeconds,
    ...(endpointUrl !== undefined && { endpointUrl }),
    yes: values.yes,
    resultsDir: values.results,
  };
}
