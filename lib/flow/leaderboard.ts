import {
  DescribeTrainingJobCommand,
  ListCandidatesForAutoMLJobCommand,
  type AutoMLCandidate,
  type DescribeAutoMLJobCommandOutput,
  type DescribeTrainingJobCommandOutput,
  type SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import { describeError } from "./aws-errors.ts";

/** A candidate as the leaderboard shows it, in the flow, `npm start` and the notebooks alike. */
export interface LeaderboardRow {
  rank: number;
  name: string;
  /** The job's BestCandidate: the one the deploy step deploys unless told otherwise. */
  best: boolean;
  /** From the candidate's training image or inference containers; undefined when neither says. */
  algorithm?: string;
  /** Its training job's hyperparameters, as AWS reports them (strings), without SageMaker's own; empty when unknown. */
  hyperparameters: Record<string, string>;
  /** The objective metric (F1, ...), and its value in the job's cross-validation; no value unless Completed. */
  metric: string;
  value?: number;
  /** How long its training job trained. */
  fitSeconds?: number;
  status: string;
  /** Why it is not Completed: ListCandidatesForAutoMLJob's FailureReason (a stopped candidate's too). */
  reason?: string;
}

/** Hyperparameters that SageMaker and Autopilot add for themselves (_tuning_objective_metric, sagemaker_program, ...). */
const isOwnHyperparameter = (name: string) => !name.startsWith("_") && !name.startsWith("sagemaker_");

/**
 * An algorithm's name from an image: its repository without registry, tag, and the words that only
 * say it is a SageMaker or training image (sagemaker-xgboost → xgboost, autogluon-training → autogluon).
 */
export function algorithmOfImage(image: string): string {
  const repository = image.replace(/[:@][^/]*$/, "").split("/").at(-1) ?? image;
  return repository.replace(/^(sagemaker-|local-autopilot-)/, "").replace(/-(training|inference)$/, "");
}

/** Images that carry no algorithm: Autopilot's data processing around the model, and the local AWS's generic algorithm server. */
const NOT_AN_ALGORITHM = new Set(["sklearn-automl", "algorithm"]);

/** The candidate's algorithm from its inference containers, when one of them names it. */
function algorithmOfContainers(candidate: AutoMLCandidate): string | undefined {
  return (candidate.InferenceContainers ?? []).map((container) => algorithmOfImage(container.Image ?? "")).find((name) => name && !NOT_AN_ALGORITHM.has(name));
}

/** The training job that made the candidate: the last training job among its steps. */
function trainingJobOf(candidate: AutoMLCandidate): string | undefined {
  return candidate.CandidateSteps?.filter((step) => step.CandidateStepType === "AWS::SageMaker::TrainingJob").at(-1)?.CandidateStepName;
}

function fitSecondsOf(training: DescribeTrainingJobCommandOutput): number | undefined {
  const { TrainingStartTime: start, TrainingEndTime: end, TrainingTimeInSeconds: seconds } = training;
  return start && end ? (end.getTime() - start.getTime()) / 1000 : seconds;
}

/** A candidate's row, with what its training job says (`training` undefined when it could not be described). */
export function leaderboardRow(candidate: AutoMLCandidate, rank: number, bestName: string | undefined, training?: DescribeTrainingJobCommandOutput): LeaderboardRow {
  const objective = candidate.FinalAutoMLJobObjectiveMetric;
  const trainingImage = training?.AlgorithmSpecification?.TrainingImage;
  const algorithm = (trainingImage && algorithmOfImage(trainingImage)) || algorithmOfContainers(candidate);
  const fitSeconds = training && fitSecondsOf(training);
  return {
    rank,
    name: candidate.CandidateName ?? "?",
    best: candidate.CandidateName === bestName,
    ...(algorithm && { algorithm }),
    hyperparameters: Object.fromEntries(Object.entries(training?.HyperParameters ?? {}).filter(([name]) => isOwnHyperparameter(name))),
    metric: objective?.MetricName ?? "objective",
    ...(candidate.CandidateStatus === "Completed" && objective?.Value !== undefined && { value: objective.Value }),
    ...(fitSeconds !== undefined && { fitSeconds }),
    status: candidate.CandidateStatus ?? "?",
    ...(candidate.FailureReason && { reason: candidate.FailureReason }),
  };
}

export interface Leaderboard {
  rows: LeaderboardRow[];
  /** The job's MaxCandidates, when its description says. */
  maxCandidates?: number;
  /** Why algorithms, hyperparameters or fit times are missing, when describing the training jobs failed. */
  detailsUnavailable?: string;
}

/**
 * Every candidate of the job, best objective first, each with its training job's algorithm,
 * hyperparameters and fit time (DescribeTrainingJob). A training job that cannot be described
 * (not found, not allowed) leaves those blank, and the first reason is kept to be said once.
 */
export async function leaderboard(sagemaker: SageMakerClient, job: DescribeAutoMLJobCommandOutput): Promise<Leaderboard> {
  const jobName = job.AutoMLJobName;
  const bestName = job.BestCandidate?.CandidateName;
  const maxCandidates = job.AutoMLJobConfig?.CompletionCriteria?.MaxCandidates;
  const candidates: AutoMLCandidate[] = [];
  let token: string | undefined;
  do {
    const page = await sagemaker.send(new ListCandidatesForAutoMLJobCommand({ AutoMLJobName: jobName, SortBy: "FinalObjectiveMetricValue", SortOrder: "Descending", NextToken: token }));
    candidates.push(...(page.Candidates ?? []));
    token = page.NextToken;
  } while (token);
  let detailsUnavailable: string | undefined;
  const rows: LeaderboardRow[] = [];
  for (const candidate of candidates) {
    const trainingJob = trainingJobOf(candidate);
    const training = trainingJob
      ? await sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: trainingJob })).catch((error: unknown) => {
          detailsUnavailable ??= `DescribeTrainingJob ${trainingJob}: ${describeError(error)}`;
          return undefined;
        })
      : undefined;
    rows.push(leaderboardRow(candidate, rows.length + 1, bestName, training));
  }
  return { rows, ...(maxCandidates !== undefined && { maxCandidates }), ...(detailsUnavailable && { detailsUnavailable }) };
}

/** A hyperparameter's value for reading: long decimals to four significant digits. */
function readableValue(value: string): string {
  return /^-?\d+\.\d{5,}(e[-+]?\d+)?$/i.test(value) ? String(Number(Number(value).toPrecision(4))) : value;
}

export const NOT_KNOWN = "—";

/** How many hyperparameters a leaderboard row shows; the row keeps them all. */
const SHOWN_HYPERPARAMETERS = 6;

/**
 * The hyperparameters worth a leaderboard column: among candidates of the same algorithm, those
 * that differ between them (the tuned ones), at most SHOWN_HYPERPARAMETERS, the count of the rest after.
 */
function keyHyperparameters(row: LeaderboardRow, rows: readonly LeaderboardRow[]): string {
  const peers = rows.filter((other) => other.algorithm === row.algorithm);
  const varies = (name: string) => peers.length < 2 || peers.some((other) => other.hyperparameters[name] !== row.hyperparameters[name]);
  const shown = Object.entries(row.hyperparameters).filter(([name]) => varies(name));
  const text = shown.slice(0, SHOWN_HYPERPARAMETERS).map(([name, value]) => `${name}=${readableValue(value)}`);
  return [...text, ...(shown.length > SHOWN_HYPERPARAMETERS ? [`(+${shown.length - SHOWN_HYPERPARAMETERS} more)`] : [])].join(" ") || NOT_KNOWN;
}

/** The leaderboard as one table model, which its text (formatLeaderboard) and HTML (leaderboardTable) renderings share. */
export interface LeaderboardTable {
  /** What the table shows, in a sentence. */
  caption: string;
  header: string[];
  rows: { best: boolean; cells: string[]; reason?: string }[];
  /** Said under the table. */
  notes: string[];
}

export function leaderboardModel(board: Leaderboard): LeaderboardTable {
  const metric = board.rows[0]?.metric ?? "objective";
  const completed = board.rows.filter((row) => row.status === "Completed").length;
  const limit = board.maxCandidates === undefined ? "" : ` (MaxCandidates ${board.maxCandidates})`;
  return {
    caption: `${board.rows.length} candidates${limit}, ${completed} completed, best ${metric} first; ★ marks the job's best`,
    header: ["rank", "candidate", "algorithm", `${metric} (cross-validation)`, "fit s", "status", "key hyperparameters"],
    rows: board.rows.map((row) => ({
      best: row.best,
      cells: [
        String(row.rank),
        row.name,
        row.algorithm ?? NOT_KNOWN,
        row.value === undefined ? NOT_KNOWN : row.value.toFixed(4),
        row.fitSeconds === undefined ? NOT_KNOWN : row.fitSeconds.toFixed(1),
        row.status,
        keyHyperparameters(row, board.rows),
      ],
      ...(row.reason && { reason: row.reason }),
    })),
    notes: [
      // Autopilot uses "cross-validation automatically, when needed" (autopilot-model-support-validation.html);
      // the local engine cross-validates in 5 folds up to 50,000 rows (lib/automl/README.md), the sample's 4,000 among them.
      `${metric} (cross-validation): each candidate's score on the rows each fold held out, as Autopilot ranks them (the test metrics, after predict, come from the held-back test rows).`,
      "key hyperparameters: those that differ between candidates of the same algorithm (all of a lone one's).",
      ...(board.rows.some((row) => row.algorithm === "ensemble") ? ["an ensemble's hyperparameters are the weights of the models it combines."] : []),
      ...(board.detailsUnavailable ? [`algorithm, hyperparameters and fit time unknown where shown ${NOT_KNOWN}: ${board.detailsUnavailable}`] : []),
    ],
  };
}
