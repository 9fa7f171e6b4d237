import { parseArgs } from "node:util";
import { ENSEMBLING_CHOICES, type AutoMLOptions, type Ensembling } from "./automl.ts";
import { METRIC_NAMES } from "./metrics.ts";

interface OptionHelp {
  /** The value's placeholder; absent for a switch. */
  value?: string;
  meaning: string;
  /** The default as the help says it; absent for a required option. */
  default?: string;
}

/** Each command's options: what parseCommand reads, and what --help says of each. */
const OPTIONS = {
  train: {
    data: { value: "FILE", meaning: "The training data: CSV with a header line (encoding and separator detected)." },
    target: { value: "COLUMN", meaning: "The column to predict." },
    out: { value: "DIR", meaning: "Where the best model (model.json), every candidate (candidates/) and leaderboard.json are written." },
    "problem-type": { value: "BinaryClassification|MulticlassClassification|Regression", meaning: "The kind of problem.", default: "inferred from the target" },
    objective: { value: "METRIC", meaning: `The metric candidates are ranked by: ${METRIC_NAMES.join(", ")}.`, default: "F1 binary, Accuracy multiclass, MSE regression" },
    "max-candidates": { value: "N", meaning: "How many candidates to train.", default: "10" },
    ensembling: { value: ENSEMBLING_CHOICES.join("|"), meaning: "final: the candidates and one ensemble of them; trials: a weighted ensemble per trial (Autopilot's ENSEMBLING mode); none: the candidates alone (its HPO mode).", default: "final" },
    "max-runtime": { value: "SECONDS", meaning: "Time for the whole search; the best candidate so far is kept.", default: "no limit" },
    "max-runtime-per-candidate": { value: "SECONDS", meaning: "Training time for one candidate.", default: "no limit" },
    seed: { value: "K", meaning: "Random seed: the same data and seed give the same models.", default: "0" },
    workers: { value: "N", meaning: "Worker threads training candidates.", default: "the machine's cores, at most one per fit" },
    "min-rows": { value: "N", meaning: "The fewest rows with a target value to learn from (at least 10).", default: "500, Autopilot's minimum" },
    "positive-class": { value: "LABEL", meaning: "Binary problems: the class F1, precision, recall and probability are about.", default: "the minority class, as Autopilot encodes it" },
  },
  predict: {
    model: { value: "DIR_OR_FILE", meaning: "A model written by train (its folder or model.json)." },
    data: { value: "FILE", meaning: "Rows to predict: with a header, columns are matched by name (others ignored); without, in training order." },
    out: { value: "FILE", meaning: "Where the predictions go.", default: "standard output" },
    "no-header": { meaning: "Leave out the header line of the predictions.", default: "header written" },
    probabilities: { meaning: "Classification: add a probability_<label> column for every class.", default: "off" },
  },
} satisfies Record<"train" | "predict", Record<string, OptionHelp>>;

type OptionName<C extends keyof typeof OPTIONS> = keyof (typeof OPTIONS)[C] & string;

const required = (help: OptionHelp) => help.default === undefined;

/** The usage line of each command and every option with its meaning and default, from OPTIONS. */
export const USAGE = (Object.keys(OPTIONS) as (keyof typeof OPTIONS)[])
  .map((command) => {
    const options = Object.entries(OPTIONS[command] as Record<string, OptionHelp>);
    const synopsis = options.filter(([, help]) => required(help)).map(([name, help]) => `--${name} ${help.value}`).join(" ");
    const lines = options.map(([name, help]) => {
      const flag = help.value === undefined ? `--${name}` : `--${name} ${help.value}`;
      return `    ${flag}\n        ${help.meaning}${required(help) ? " Required." : ` Default: ${help.default}.`}`;
    });
    return `  npm run automl -- ${command} ${synopsis} [options]\n${lines.join("\n")}`;
  })
  .join("\n\n")
  .replace(/^/, "Usage:\n");

/** A mistake in how the command was called: reported with the usage text. */
export class UsageError extends Error {
  override name = "UsageError";
}

type JobSettings = Pick<AutoMLOptions, "problemType" | "objective" | "maxCandidates" | "ensembling" | "maxRuntimeSeconds" | "maxRuntimePerCandidateSeconds" | "seed" | "workers" | "minRows" | "positiveClass">;

export type Command =
  | { command: "train"; data: string; target: string; out: string; settings: JobSettings }
  /** `header`: write a header line; `probabilities`: a column per class with its probability. */
  | { command: "predict"; model: string; data: string; out?: string; header: boolean; probabilities: boolean }
  | { command: "help" };

/** Reads the command line (after `npm run automl --`) into a command, or explains what is wrong. */
export function parseCommand(argv: readonly string[]): Command {
  const [command, ...args] = argv;
  if (command === undefined || command === "help" || command === "--help") return { command: "help" };
  if (command === "train") {
    const { values } = parseFlags(args, valueOptions("train"));
    const settings: JobSettings = {
      ...(values["problem-type"] !== undefined && { problemType: values["problem-type"] }),
      ...(values.objective !== undefined && { objective: values.objective }),
      ...(values["positive-class"] !== undefined && { positiveClass: values["positive-class"] }),
      ...number("maxCandidates", values["max-candidates"], "--max-candidates"),
      ...(values.ensembling !== undefined && { ensembling: ensembling(values.ensembling) }),
      ...number("maxRuntimeSeconds", values["max-runtime"], "--max-runtime"),
      ...number("maxRuntimePerCandidateSeconds", values["max-runtime-per-candidate"], "--max-runtime-per-candidate"),
      ...number("seed", values.seed, "--seed"),
      ...number("workers", values.workers, "--workers"),
      ...number("minRows", values["min-rows"], "--min-rows"),
    };
    return { command, data: requiredValue(values.data, "--data"), target: requiredValue(values.target, "--target"), out: requiredValue(values.out, "--out"), settings };
  }
  if (command === "predict") {
    const { values, switches } = parseFlags(args, valueOptions("predict"), switchOptions("predict"));
    return {
      command,
      model: requiredValue(values.model, "--model"),
      data: requiredValue(values.data, "--data"),
      ...(values.out !== undefined && { out: values.out }),
      header: !switches.has("no-header"),
      probabilities: switches.has("probabilities"),
    };
  }
  throw new UsageError(`Unknown command "${command}"; use train or predict.`);
}

function valueOptions<C extends keyof typeof OPTIONS>(command: C): OptionName<C>[] {
  return (Object.entries(OPTIONS[command]) as [OptionName<C>, OptionHelp][]).filter(([, help]) => help.value !== undefined).map(([name]) => name);
}

function switchOptions<C extends keyof typeof OPTIONS>(command: C): OptionName<C>[] {
  return (Object.entries(OPTIONS[command]) as [OptionName<C>, OptionHelp][]).filter(([, help]) => help.value === undefined).map(([name]) => name);
}

/** The string flags' values, and the boolean switches given. */
function parseFlags(args: string[], names: readonly string[], switchNames: readonly string[] = []): { values: Record<string, string | undefined>; switches: Set<string> } {
  const options = Object.fromEntries([...names.map((name) => [name, { type: "string" as const }]), ...switchNames.map((name) => [name, { type: "boolean" as const }])]);
  let parsed: Record<string, unknown>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = Object.fromEntries(names.map((name) => [name, typeof parsed[name] === "string" ? parsed[name] : undefined]));
  return { values, switches: new Set(switchNames.filter((name) => parsed[name] === true)) };
}

function requiredValue(value: string | undefined, flag: string): string {
  if (value === undefined || value === "") throw new UsageError(`${flag} is required.`);
  return value;
}

function ensembling(value: string): Ensembling {
  if (!(ENSEMBLING_CHOICES as readonly string[]).includes(value)) throw new UsageError(`--ensembling takes ${ENSEMBLING_CHOICES.join(", ")}, got "${value}".`);
  return value as Ensembling;
}

function number<K extends keyof JobSettings>(key: K, value: string | undefined, flag: string): Partial<Record<K, number>> {
  if (value === undefined) return {};
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed)) throw new UsageError(`${flag} takes a number, got "${value}".`);
  return { [key]: parsed } as Partial<Record<K, number>>;
}
