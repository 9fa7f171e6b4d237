import { parseArgs } from "node:util";
import { ENSEMBLING_CHOICES, type AutoMLOptions, type Ensembling } from "./automl.ts";

export const USAGE = `Usage:
  npm run automl -- train --data FILE --target COLUMN --out DIR
      [--problem-type BinaryClassification|MulticlassClassification|Regression]
      [--objective METRIC] [--max-candidates N] [--ensembling final|trials|none]
      [--max-runtime SECONDS] [--max-runtime-per-candidate SECONDS] [--seed K] [--workers N]
  npm run automl -- predict --model DIR_OR_FILE --data FILE [--out FILE]`;

/** A mistake in how the command was called: reported with the usage text. */
export class UsageError extends Error {
  override name = "UsageError";
}

type JobSettings = Pick<AutoMLOptions, "problemType" | "objective" | "maxCandidates" | "ensembling" | "maxRuntimeSeconds" | "maxRuntimePerCandidateSeconds" | "seed" | "workers">;

export type Command =
  | { command: "train"; data: string; target: string; out: string; settings: JobSettings }
  | { command: "predict"; model: string; data: string; out?: string }
  | { command: "help" };

/** Reads the command line (after `npm run automl --`) into a command, or explains what is wrong. */
export function parseCommand(argv: readonly string[]): Command {
  const [command, ...args] = argv;
  if (command === undefined || command === "help" || command === "--help") return { command: "help" };
  if (command === "train") {
    const values = parseFlags(args, ["data", "target", "out", "problem-type", "objective", "max-candidates", "ensembling", "max-runtime", "max-runtime-per-candidate", "seed", "workers"]);
    const settings: JobSettings = {
      ...(values["problem-type"] !== undefined && { problemType: values["problem-type"] }),
      ...(values.objective !== undefined && { objective: values.objective }),
      ...number("maxCandidates", values["max-candidates"], "--max-candidates"),
      ...(values.ensembling !== undefined && { ensembling: ensembling(values.ensembling) }),
      ...number("maxRuntimeSeconds", values["max-runtime"], "--max-runtime"),
      ...number("maxRuntimePerCandidateSeconds", values["max-runtime-per-candidate"], "--max-runtime-per-candidate"),
      ...number("seed", values.seed, "--seed"),
      ...number("workers", values.workers, "--workers"),
    };
    return { command, data: required(values.data, "--data"), target: required(values.target, "--target"), out: required(values.out, "--out"), settings };
  }
  if (command === "predict") {
    const values = parseFlags(args, ["model", "data", "out"]);
    return { command, model: required(values.model, "--model"), data: required(values.data, "--data"), ...(values.out !== undefined && { out: values.out }) };
  }
  throw new UsageError(`Unknown command "${command}"; use train or predict.`);
}

function parseFlags(args: string[], names: readonly string[]): Record<string, string | undefined> {
  const options = Object.fromEntries(names.map((name) => [name, { type: "string" as const }]));
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Record<string, string | undefined>;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
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
