import { parseArgs } from "node:util";
import { ENSEMBLING_CHOICES, type AutoMLOptions, type Ensembling } from "./automl.ts";

export const USAGE = `Usage:
  npm run automl -- train --data FILE --target COLUMN --out DIR
      [--problem-type BinaryClassification|MulticlassClassification|Regression]
      [--objective METRIC] [--max-candidates N] [--ensembling final|trials|none]
      [--max-runtime SECONDS] [--max-runtime-per-candidate SECONDS] [--seed K] [--workers N]
      [--min-rows N] [--positive-class LABEL]
  npm run automl -- predict --model DIR_OR_FILE --data FILE [--out FILE] [--no-header] [--probabilities]`;

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
    const { values } = parseFlags(args, ["data", "target", "out", "problem-type", "objective", "max-candidates", "ensembling", "max-runtime", "max-runtime-per-candidate", "seed", "workers", "min-rows", "positive-class"]);
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
    return { command, data: required(values.data, "--data"), target: required(values.target, "--target"), out: required(values.out, "--out"), settings };
  }
  if (command === "predict") {
    const { values, switches } = parseFlags(args, ["model", "data", "out"], ["no-header", "probabilities"]);
    return {
      command,
      model: required(values.model, "--model"),
      data: required(values.data, "--data"),
      ...(values.out !== undefined && { out: values.out }),
      header: !switches.has("no-header"),
      probabilities: switches.has("probabilities"),
    };
  }
  throw new UsageError(`Unknown command "${command}"; use train or predict.`);
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

function required(value: string | undefined, flag: string): string {
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
