import { parseArgs } from "node:util";
import { DEFAULT_MAX_CANDIDATES, LOCAL_CANDIDATES_NOTE, TRAINING_MODES, type TrainingMode } from "./automl-job.ts";
import { DATA_PATHS, type DataPath } from "./s3-transfer.ts";
import { STEP_NAMES, type StepName } from "./steps.ts";

/** How the test rows are scored: the blog's endpoint, a batch transform job, or both, compared row for row. */
export const PREDICT_WITH = ["endpoint", "batch", "both"] as const;
export type PredictWith = (typeof PREDICT_WITH)[number];

/** The steps each way leaves out: a batch-only run makes no endpoint at all. */
const SKIPPED_STEPS: Record<PredictWith, readonly StepName[]> = { endpoint: ["batch"], batch: ["deploy", "predict"], both: [] };

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
  /** The candidate to deploy (or score in batch), by name from the leaderboard; the job's best when absent. */
  candidate?: string;
  predictWith: PredictWith;
  /** Real AWS: the region asked for; else resolved from the environment and the profile (see resolveRegion). */
  region?: string;
  /** The local AWS: seconds before IAM changes take effect, as real IAM's eventual consistency. */
  iamDelaySeconds: number;
  /** --target aws only: an AWS-compatible endpoint every client uses (endpoint settings in the environment are then ignored). */
  endpointUrl?: string;
  /** Real AWS only runs once the user has read what it will create and bill. */
  yes: boolean;
  /** Where the run's results (charts, predictions) are written. */
  resultsDir: string;
}

interface OptionDefinition {
  type: "string" | "boolean";
  default?: string | boolean;
  /** The value's placeholder in the help (string options). */
  value?: string;
  /** What the option does. */
  meaning: string;
  /** The default as the help says it, when it is not simply `default`. */
  defaultText?: string;
}

/** npm start's options: what parseArgs reads, and what --help says of each. */
const OPTIONS = {
  target: {
    type: "string",
    default: "local",
    value: "local|aws",
    meaning: "Where the run goes: the local two-account AWS, started for the run, or real AWS through your profiles customer_config and saas_config.",
  },
  yes: {
    type: "boolean",
    default: false,
    meaning: "--target aws: go ahead. Without it the run only lists what it would create and what AWS bills for it.",
    defaultText: "off (list, and stop)",
  },
  region: {
    type: "string",
    value: "REGION",
    meaning: "--target aws: the region.",
    defaultText: "AWS_REGION, else AWS_DEFAULT_REGION, else the region of profile customer_config, else us-east-1",
  },
  "endpoint-url": {
    type: "string",
    value: "URL",
    meaning: "--target aws: an AWS-compatible endpoint (moto, say) that every client uses instead of AWS; endpoint settings in the environment are then ignored.",
    defaultText: "AWS's own endpoints",
  },
  "state-dir": {
    type: "string",
    value: "DIR",
    meaning: "The run's folder: its run state (what it created, for cleanup), the data files, and on the local AWS the accounts' state.",
    defaultText: "local: a new temporary folder, removed once everything is cleaned up; aws: .autopilot-run",
  },
  step: {
    type: "string",
    value: "STEP",
    meaning: `Run only this step of the run in --state-dir: ${STEP_NAMES.join(", ")}.`,
    defaultText: "every step in that order",
  },
  keep: {
    type: "boolean",
    default: false,
    meaning: "Leave everything the run made in place; clean up later with --step cleanup (the command is printed).",
    defaultText: "off (cleanup runs last, and on failure or Ctrl-C)",
  },
  "least-privilege": {
    type: "boolean",
    default: false,
    meaning: "SageMaker runs as its own execution role and the cross-account role gets only what the flow uses, as the blog recommends.",
    defaultText: "off (the blog's one role, with AmazonSageMakerFullAccess)",
  },
  "data-path": {
    type: "string",
    default: "local",
    value: DATA_PATHS.join("|"),
    meaning:
      "How the training data reaches the job (and the test rows a transform job): local (the role uploads it to the customer's bucket), copy (copied from the SaaS bucket under a temporary bucket policy) or direct (the job reads the SaaS bucket).",
  },
  "max-candidates": {
    type: "string",
    value: "N",
    meaning: "Autopilot's MaxCandidates: how many candidates the job trains and ranks.",
    defaultText: LOCAL_CANDIDATES_NOTE,
  },
  mode: {
    type: "string",
    default: "AUTO",
    value: TRAINING_MODES.join("|"),
    meaning: "Autopilot's training mode; AUTO picks ENSEMBLING for data up to 100 MB (the sample is under 1 MB), HYPERPARAMETER_TUNING above.",
  },
  candidate: {
    type: "string",
    value: "NAME",
    meaning: "The candidate the deploy step deploys and the batch step scores with, by its name on the leaderboard.",
    defaultText: "the job's best",
  },
  "predict-with": {
    type: "string",
    default: "endpoint",
    value: PREDICT_WITH.join("|"),
    meaning:
      "How the test rows are scored: endpoint (the blog's: a real-time endpoint, deployed and invoked), batch (a batch transform job reads them from the customer's bucket and writes its answers there; no endpoint is made) or both (each, then whether they agree row for row).",
  },
  "iam-delay": {
    type: "string",
    default: "0",
    value: "SECONDS",
    meaning: "The local AWS: IAM changes take effect this many seconds late, as AWS's eventual consistency; the flow waits them out.",
    defaultText: "0 (at once)",
  },
  results: {
    type: "string",
    default: "results",
    value: "DIR",
    meaning: "Where the run writes its results: the charts (SVG and PNG) and the test rows' predictions (predictions.csv); the transform job's with a batch- prefix.",
  },
  help: { type: "boolean", default: false, meaning: "This help." },
} as const satisfies Record<string, OptionDefinition>;

const HELP_WIDTH = 100;

function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && indent.length + line.length + 1 + word.length > HELP_WIDTH) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, indent + line] : lines;
}

/** --help: every option with its meaning and default, from OPTIONS. */
export function helpText(): string {
  const options = Object.entries(OPTIONS).flatMap(([name, option]: [string, OptionDefinition]) => {
    const fallback = option.defaultText ?? (typeof option.default === "string" ? option.default : undefined);
    return [
      `  --${name}${option.value ? ` ${option.value}` : ""}${name === "help" ? ", -h" : ""}`,
      ...wrap(`${option.meaning}${fallback ? ` Default: ${fallback}.` : ""}`, "      "),
    ];
  });
  return [
    "usage: npm start -- [OPTIONS]",
    "",
    ...wrap("The blog's cross-account Autopilot flow end to end: IAM in two accounts, the data set, the job, the endpoint (or a batch transform job), predictions, cleanup. Ctrl-C (or SIGTERM) stops the run and cleans up; pressed again, it quits at once and prints the cleanup command.", ""),
    "",
    "Options:",
    ...options,
  ].join("\n");
}

/** One line for usage errors. */
export const USAGE = "usage: npm start -- [OPTIONS]; npm start -- --help lists them with their defaults";

export class UsageError extends Error {}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: { ...OPTIONS, help: { ...OPTIONS.help, short: "h" } }, strict: true }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** True when the command line asks for --help (or -h), whatever else it holds. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes("--help") || argv.includes("-h");
}

export function parseCliOptions(argv: string[]): CliOptions {
  const values = parseFlags(argv);
  const target = oneOf(values.target, ["local", "aws"] as const, "--target");
  const maxCandidatesText = values["max-candidates"] ?? String(DEFAULT_MAX_CANDIDATES[target]);
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
  const predictWith = oneOf(values["predict-with"], PREDICT_WITH, "--predict-with");
  const allSteps = STEP_NAMES.filter((step) => !(values.keep && step === "cleanup") && !SKIPPED_STEPS[predictWith].includes(step));
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
    predictWith,
    ...(values.region !== undefined && { region: values.region }),
    iamDelaySeconds,
    ...(endpointUrl !== undefined && { endpointUrl }),
    yes: values.yes,
    resultsDir: values.results,
  };
}
