import type { FlowNames } from "./names.ts";
import type { LeaderboardRow } from "./automl-job.ts";
import { confusionTable, headlineMetrics, type Evaluation } from "./evaluation.ts";

export function formatLeaderboard(rows: readonly LeaderboardRow[]): string[] {
  const width = Math.max(9, ...rows.map((row) => row.name.length));
  return [
    `  ${"rank".padEnd(5)}${"candidate".padEnd(width + 2)}${"objective".padEnd(12)}status`,
    ...rows.map((row) => `  ${String(row.rank).padEnd(5)}${row.name.padEnd(width + 2)}${`${row.metric} ${row.value.toFixed(4)}`.padEnd(12)}${row.status}`),
  ];
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

/** What a run on real AWS creates and what of it is billed, said before anything is created. */
export function awsPlan(names: FlowNames, options: { region: string; endpointUrl?: string; dataPath: string; maxCandidates: number; keep: boolean; leastPrivilege: boolean }): string[] {
  const iam = options.leastPrivilege
    ? `policies ${names.customerPolicy}, ${names.crossAccountPolicy}, roles ${names.role}, ${names.executionRole}`
    : `policy ${names.customerPolicy}, role ${names.role}`;
  return [
    options.endpointUrl ? `This run creates at ${options.endpointUrl}, not AWS (${options.region}):` : `This run creates in real AWS (${options.region}):`,
    `  customer account (profile ${names.customerProfile}): ${iam}; bucket sagemaker-${options.region}-<account> if missing;`,
    `    an Autopilot job with up to ${options.maxCandidates} candidates, a model, an endpoint config and an endpoint (ml.m5.large)`,
    `  SaaS account (profile ${names.saasProfile}): policies ${names.assumePolicy}, ${names.saasPolicy}, group ${names.group}, user ${names.user} with an access key`,
    `    (written as profile [${names.userProfile}] in your shared credentials file)${options.dataPath === "local" ? "" : ", a bucket holding the training data"}`,
    "Billed: the Autopilot job's processing and training instances (typically tens of minutes to hours of ml.m5 instances),",
    "  the endpoint's instance for as long as it runs, S3 storage and requests. IAM and STS are free.",
    options.keep ? "With --keep nothing is deleted: the endpoint keeps billing until you run --step cleanup." : "Everything is deleted at the end, on failure and on Ctrl-C.",
  ];
}
