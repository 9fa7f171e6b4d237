import { DEFAULT_MAX_CANDIDATES, LOCAL_CANDIDATES_NOTE, type TrainingMode } from "./automl-job.ts";
import type { PredictWith } from "./cli-options.ts";
import type { FlowNames } from "./names.ts";
import { confusionTable, headlineMetrics, type Evaluation } from "./evaluation.ts";
import { leaderboardModel, type Leaderboard } from "./leaderboard.ts";
import { predictionsPreview, type TestPredictions } from "./predictions-table.ts";

/** Cells padded to their column's width, two spaces apart (the last column as it is). */
export function textTable(rows: readonly (readonly string[])[], indent = "  "): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows.map((row) => indent + row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  "));
}

/** The leaderboard as text: the caption, one line per candidate (★ the best), a stopped or failed one's reason under it, then the notes. */
export function formatLeaderboard(board: Leaderboard): string[] {
  const model = leaderboardModel(board);
  const lines = textTable([["", ...model.header], ...model.rows.map((row) => [row.best ? "★" : "", ...row.cells])]);
  const [header, ...body] = lines;
  return [
    `  ${model.caption}`,
    header!,
    ...body.flatMap((line, i) => {
      const reason = model.rows[i]!.reason;
      return reason ? [line, `        ↳ ${reason}`] : [line];
    }),
    ...model.notes.map((note) => `  ${note}`),
  ];
}

/** The predictions table as text: the first test rows with truth, predicted_label and probabilities, ✗ on the misclassified. */
export function formatPredictions(test: TestPredictions): string[] {
  const preview = predictionsPreview(test);
  return [`  ${preview.caption}`, ...textTable([preview.header, ...preview.rows.map((row) => [row.wrong ? "✗" : "", ...row.cells])])];
}

export function formatEvaluation(evaluation: Evaluation): string[] {
  const metrics = `  ${headlineMetrics(evaluation).map(([name, value]) => `${name} ${value.toFixed(4)}`).join("  ")}`;
  if (evaluation.kind === "regression") return [`  ${evaluation.rows} test rows`, metrics];
  const { labels, counts } = confusionTable(evaluation);
  const confusion =
    evaluation.kind === "binary"
      ? `TP ${counts[0]![0]}  FN ${counts[0]![1]}  FP ${counts[1]![0]}  TN ${counts[1]![1]}`
      : labels.map((label, i) => `${label}: ${counts[i]!.join(" ")}`).join("  |  ");
  return [
    `  ${evaluation.rows} test rows, ${evaluation.kind === "binary" ? `positive class ${evaluation.positiveLabel}` : `${labels.length} classes`}`,
    metrics,
    `  confusion (truth × prediction): ${confusion}`,
  ];
}

/** How the test rows are scored, as the plans say it. */
const SCORING: Record<PredictWith, string> = {
  endpoint: "an endpoint",
  batch: "a batch transform job (no endpoint)",
  both: "an endpoint and a batch transform job, compared row for row",
};

/** What a run on the local AWS does, said when it starts: the job's settings, and why its MaxCandidates is not the blog's. */
export function localPlan(options: { maxCandidates: number; mode: TrainingMode; dataPath: string; keep: boolean; leastPrivilege: boolean; predictWith: PredictWith }): string[] {
  return [
    `plan: an Autopilot job (${options.mode} mode, MaxCandidates ${options.maxCandidates}), test rows scored by ${SCORING[options.predictWith]}, data path ${options.dataPath}${options.leastPrivilege ? ", least-privilege roles" : ""}; ${options.keep ? "everything kept (--keep)" : "everything removed at the end"}`,
    `  MaxCandidates: ${LOCAL_CANDIDATES_NOTE}`,
  ];
}

/** What a run on real AWS creates and what of it is billed, said before anything is created. */
export function awsPlan(
  names: FlowNames,
  options: { region: string; endpointUrl?: string; dataPath: string; maxCandidates: number; keep: boolean; leastPrivilege: boolean; predictWith: PredictWith; instanceType: string },
): string[] {
  const iam = options.leastPrivilege
    ? `policies ${names.customerPolicy}, ${names.crossAccountPolicy}, roles ${names.role}, ${names.executionRole}`
    : `policy ${names.customerPolicy}, role ${names.role}`;
  const endpoint = options.predictWith !== "batch";
  const batch = options.predictWith !== "endpoint";
  const scoring = [
    ...(endpoint ? [`    a model, an endpoint config and an endpoint (${options.instanceType}) for the test rows`] : []),
    ...(batch ? [`    a model and a batch transform job (${options.instanceType}) reading the test rows from the bucket, its answers written there`] : []),
  ];
  const billed = [
    ...(endpoint ? ["  the endpoint's instance for as long as it runs,"] : []),
    ...(batch ? ["  the transform job's instance while the job runs (minutes: it starts, scores the rows and stops by itself),"] : []),
  ];
  return [
    options.endpointUrl ? `This run creates at ${options.endpointUrl}, not AWS (${options.region}):` : `This run creates in real AWS (${options.region}):`,
    `  customer account (profile ${names.customerProfile}): ${iam}; bucket sagemaker-${options.region}-<account> if missing;`,
    `    an Autopilot job with up to ${options.maxCandidates} candidates (MaxCandidates${options.maxCandidates === DEFAULT_MAX_CANDIDATES.aws ? ", as the blog's" : `; the blog's is ${DEFAULT_MAX_CANDIDATES.aws}`});`,
    ...scoring,
    `  SaaS account (profile ${names.saasProfile}): policies ${names.assumePolicy}, ${names.saasPolicy}, group ${names.group}, user ${names.user} with an access key`,
    `    (written as profile [${names.userProfile}] in your shared credentials file)${options.dataPath === "local" ? "" : ", a bucket holding the training data and test rows"}`,
    "Billed: the Autopilot job's processing and training instances (typically tens of minutes to hours of ml.m5 instances),",
    ...billed,
    "  S3 storage and requests. IAM and STS are free.",
    options.keep
      ? `With --keep nothing is deleted${endpoint ? ": the endpoint keeps billing" : ""} until you run --step cleanup.`
      : "Everything is deleted at the end, on failure, and on Ctrl-C or SIGTERM.",
  ];
}
