import type { AutoMLResult, LeaderboardEntry } from "../../../../automl/index.ts";
import { learners } from "../../../../automl/learners/index.ts";
import type { Algorithm, ParamRange } from "../../../../automl/learners/types.ts";
import { metricDirection } from "../../../../automl/metrics.ts";
import { DEFAULT_MAX_CANDIDATES, ENGINE_ENSEMBLING } from "../autopilot-modes.ts";
import type { AutopilotJobDescription } from "./job-description.ts";
import { escapeMarkdown as md, formatNumber, markdownTable } from "./markdown.ts";
import { code, markdown, notebook, type Notebook } from "./nbformat.ts";
import { pythonLiteral } from "./python.ts";

/**
 * The candidate definition notebook, which "contains each suggested preprocessing step, algorithm,
 * and hyperparameter ranges" (https://docs.aws.amazon.com/sagemaker/latest/dg/autopilot-candidate-generation-notebook.html):
 * here the engine's algorithms with their preprocessing and search spaces, then every candidate of
 * the job with its hyperparameters, status and validation metrics, and how to train them again.
 * AWS produces it for HYPERPARAMETER_TUNING jobs only ("not available for ensembling mode"); see
 * `autopilotArtifacts`.
 */
export interface CandidateDefinitionInput {
  job: AutopilotJobDescription;
  leaderboard: readonly LeaderboardEntry[];
  validation: Pick<AutoMLResult["validation"], "kind" | "rounds" | "scoredRows">;
  /** The API's CandidateName of each engine candidate, by engine name. */
  candidateNames: ReadonlyMap<string, string>;
}

const ALGORITHMS: Record<Algorithm | "ensemble", { title: string; does: string }> = {
  gbdt: {
    title: "Gradient-boosted trees",
    does:
      "Histogram-based gradient-boosted decision trees (as XGBoost's `hist`), stopping early on a tenth of the training rows held back. " +
      "Preprocessing: numbers as they are, missing values left for each split to route; categories one-hot, categories seen on fewer than 10 training rows grouped as one, at most 100 indicators a column, missing as all zeros.",
  },
  linear: {
    title: "Linear model",
    does:
      "Regularized linear model (logistic regression for classification, elastic-net regression otherwise), fitted to convergence by L-BFGS. " +
      "Preprocessing: numbers imputed with the median (yes/no flags with the most frequent value) and standardized; categories one-hot, the most frequent filling gaps.",
  },
  mlp: {
    title: "Multilayer perceptron",
    does:
      "A neural network of ReLU layers trained with Adam, weight decay and optional dropout, stopping early on a tenth of the training rows held back. " +
      "Preprocessing: as the linear model's.",
  },
  ensemble: {
    title: "Ensemble",
    does:
      "A weighted average of completed candidates' outputs, chosen by greedy ensemble selection (Caruana et al., 2004) on the validation outputs; " +
      "its hyperparameters are the members' weights. Each member keeps its own preprocessing.",
  },
};

export function candidateDefinitionNotebook(input: CandidateDefinitionInput): Notebook {
  const { job, leaderboard } = input;
  const apiName = (engineName: string) => input.candidateNames.get(engineName) ?? engineName;
  return notebook([
    markdown(...introduction(input)),
    markdown(...algorithmSection(hasEnsembles(leaderboard))),
    markdown(
      "## Candidates",
      "",
      markdownTable(
        ["rank", "candidate", "algorithm", "status", job.objective],
        leaderboard.map((entry) => [String(entry.rank), md(apiName(entry.name)), entry.algorithm, entry.status, entry.objective === null ? "n/a" : formatNumber(entry.objective)]),
      ),
    ),
    ...leaderboard.map((entry) => markdown(...candidateSection(entry, apiName, job))),
    ...retrainCells(job),
  ]);
}

function introduction({ job, validation, leaderboard }: CandidateDefinitionInput): string[] {
  const scheme = validation.kind === "cross-validation" ? `${validation.rounds}-fold cross-validation, every candidate scored on the ${validation.scoredRows} rows it did not train on` : `a holdout of ${validation.scoredRows} rows`;
  return [
    `# Candidate definitions: ${md(job.jobName)}`,
    "",
    markdownTable(["", ""], [
      ["Mode", job.mode],
      ["Problem type", job.problemType],
      ["Target", md(job.target)],
      ["Objective", `${job.objective} (${metricDirection(job.objective) === "maximize" ? "maximize" : "minimize"})`],
      ["Validation", scheme],
      ["Candidates", `${leaderboard.length} (${leaderboard.filter((entry) => entry.status === "Completed").length} completed)`],
    ]),
    "",
    "Each algorithm's defaults are tried first, then random draws from its search space; successive halving stops the candidates whose " +
      "first validation round is not among the best third. " +
      (hasEnsembles(leaderboard) ? "Ensembles of the completed candidates are candidates too." : "Every candidate is one tuned model: this job built no ensemble."),
  ];
}

const hasEnsembles = (leaderboard: readonly LeaderboardEntry[]) => leaderboard.some((entry) => entry.algorithm === "ensemble");

function algorithmSection(withEnsemble: boolean): string[] {
  return [
    "## Algorithms, preprocessing and hyperparameter ranges",
    ...(Object.keys(learners) as Algorithm[]).flatMap((algorithm) => {
      const learner = learners[algorithm];
      return [
        "",
        `### ${ALGORITHMS[algorithm].title} (\`${algorithm}\`)`,
        "",
        ALGORITHMS[algorithm].does,
        "",
        markdownTable(
          ["hyperparameter", "default", "searched range"],
          Object.entries(learner.defaults).map(([name, value]) => {
            const range = learner.searchSpace[name];
            return [md(name), md(String(value)), range ? describeRange(range) : "fixed"];
          }),
        ),
      ];
    }),
    ...(withEnsemble ? ["", `### ${ALGORITHMS.ensemble.title} (\`ensemble\`)`, "", ALGORITHMS.ensemble.does] : []),
  ];
}

function describeRange(range: ParamRange): string {
  if (range.type === "choice") return range.values.map((value) => md(String(value))).join(", ");
  return `${range.type} ${formatNumber(range.low)} to ${formatNumber(range.high)}${range.log ? ", log scale" : ""}`;
}

function candidateSection(entry: LeaderboardEntry, apiName: (engineName: string) => string, job: AutopilotJobDescription): string[] {
  const status =
    entry.status === "Completed"
      ? "Completed."
      : entry.stoppedEarly
        ? "Stopped by successive halving after its first validation round: its score there was not among the best third."
        : `${entry.status}${entry.failureReason ? `: ${md(entry.failureReason)}` : "."}`;
  const hyperparameters =
    entry.algorithm === "ensemble"
      ? markdownTable(["member", "weight"], Object.entries(entry.hyperparameters).map(([member, weight]) => [md(apiName(member)), formatNumber(Number(weight))]))
      : markdownTable(["hyperparameter", "value"], Object.entries(entry.hyperparameters).map(([name, value]) => [md(name), md(typeof value === "number" ? formatNumber(value) : String(value))]));
  const metrics = Object.entries(entry.metrics).map(([name, value]) => [name === job.objective ? `**${name}** (objective)` : name, formatNumber(value ?? Number.NaN)]);
  return [
    `## ${entry.rank}. ${md(apiName(entry.name))}`,
    "",
    `Engine name \`${entry.name}\`; ${ALGORITHMS[entry.algorithm].title.toLowerCase()}. ${ALGORITHMS[entry.algorithm].does}`,
    "",
    `**Status**: ${status} Fitting took ${formatNumber(entry.fitSeconds)} s.`,
    "",
    "**Hyperparameters**",
    "",
    hyperparameters,
    ...(metrics.length > 0 ? ["", "**Validation metrics**", "", markdownTable(["metric", "value"], metrics)] : []),
  ];
}

/**
 * The job again, locally and on SageMaker: the same data, seed, candidate budget and ensembling
 * give the same candidates, so the command spells out the budget and ensembling the job ran with.
 */
function retrainCells(job: AutopilotJobDescription) {
  const criteria = job.completionCriteria;
  const quote = (text: string) => `'${text.replace(/'/g, "'\\''")}'`;
  const cli = [
    "npm run automl -- train --data <local copy of the input CSV>",
    `--target ${quote(job.target)}`,
    `--problem-type ${job.problemType}`,
    `--objective ${job.objective}`,
    `--max-candidates ${criteria.MaxCandidates ?? DEFAULT_MAX_CANDIDATES[job.mode]}`,
    `--ensembling ${ENGINE_ENSEMBLING[job.mode]}`,
    ...(criteria.MaxAutoMLJobRuntimeInSeconds !== undefined ? [`--max-runtime ${criteria.MaxAutoMLJobRuntimeInSeconds}`] : []),
    ...(criteria.MaxRuntimePerTrainingJobInSeconds !== undefined ? [`--max-runtime-per-candidate ${criteria.MaxRuntimePerTrainingJobInSeconds}`] : []),
    `--seed ${job.seed}`,
    "--out model/",
  ].join(" \\\n  ");
  const timeLimited = criteria.MaxAutoMLJobRuntimeInSeconds !== undefined || criteria.MaxRuntimePerTrainingJobInSeconds !== undefined;
  const suffix = "-retrain";
  const request = {
    AutoMLJobName: `${job.jobName.slice(0, 32 - suffix.length).replace(/-+$/, "")}${suffix}`,
    InputDataConfig: [{ DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: job.inputS3Uri } }, TargetAttributeName: job.target }],
    OutputDataConfig: { S3OutputPath: job.outputS3Path },
    ProblemType: job.problemType,
    AutoMLJobObjective: { MetricName: job.objective },
    AutoMLJobConfig: { CompletionCriteria: { ...criteria }, Mode: job.mode },
    RoleArn: job.roleArn,
  };
  return [
    markdown(
      "## Training the candidates again",
      "",
      "With the local engine, on a copy of the input data: the job's leaderboard comes back, with the same engine names, in `model/leaderboard.json`, " +
        `and each completed candidate in \`model/candidates/<engine name>.json\`${timeLimited ? " (the runtime limits aside: what finishes in time depends on the machine)" : ""}:`,
      "",
      "```sh",
      cli,
      "```",
      "",
      "Or as a new Autopilot job with the same settings: the cell below prints the `CreateAutoMLJob` request, and sends it with boto3 when `CREATE_JOB = True` " +
        "(`AWS_ENDPOINT_URL` points it at a local AWS). The job name must be new.",
    ),
    code(
      "import json",
      "import os",
      "",
      "CREATE_JOB = False",
      `request = ${pythonLiteral(request)}`,
      "",
      "if CREATE_JOB:",
      "    import boto3",
      '    sagemaker = boto3.client("sagemaker", endpoint_url=os.environ.get("AWS_ENDPOINT_URL"))',
      '    print(sagemaker.create_auto_ml_job(**request)["AutoMLJobArn"])',
      "else:",
      "    print(json.dumps(request, indent=2))",
    ),
  ];
}
