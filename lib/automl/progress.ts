import { isBetter, type MetricName } from "./metrics.ts";
import { leaderboardEntry, type LeaderboardEntry } from "./results.ts";
import type { CandidateOutcome } from "./search/candidates.ts";
import { rankCandidates } from "./search/ensemble.ts";

export type AutoMLStage = "AnalyzingData" | "FeatureEngineering" | "ModelTuning" | "Refitting" | "Completed";

export interface AutoMLProgress {
  stage: AutoMLStage;
  /** Validated on every round. */
  candidatesCompleted: number;
  /** Stopped by successive halving after their first validation round. */
  candidatesStoppedEarly: number;
  candidatesFailed: number;
  maxCandidates: number;
  best?: { name: string; metric: MetricName; value: number };
}

export interface ProgressListeners {
  onProgress?(progress: AutoMLProgress): void;
  /** Each candidate as it finishes (Completed, stopped early or Failed); `rank` is among those finished so far. */
  onCandidate?(entry: LeaderboardEntry): void;
}

/** Keeps a job's counts and best candidate so far, and tells the listeners. */
export class ProgressReporter {
  private stage: AutoMLStage = "AnalyzingData";
  private readonly finished: CandidateOutcome[] = [];
  private completed = 0;
  private stoppedEarly = 0;
  private failed = 0;
  private best: AutoMLProgress["best"];

  constructor(
    private readonly maxCandidates: number,
    private readonly listeners: ProgressListeners,
  ) {}

  enter(stage: AutoMLStage): void {
    this.stage = stage;
    this.report();
  }

  candidateFinished(outcome: CandidateOutcome, objective: MetricName): void {
    this.finished.push(outcome);
    this.listeners.onCandidate?.(leaderboardEntry(outcome, rankCandidates(this.finished, objective).indexOf(outcome) + 1));
    if (outcome.stoppedEarly) this.stoppedEarly++;
    else if (outcome.status !== "Completed") this.failed++;
    else {
      this.completed++;
      if (!this.best || isBetter(objective, outcome.objective, this.best.value)) this.best = { name: outcome.name, metric: objective, value: outcome.objective };
    }
    this.report();
  }

  /** The ensemble may beat every candidate reported so far. */
  settleBest(winner: CandidateOutcome, objective: MetricName): void {
    this.best = { name: winner.name, metric: objective, value: winner.objective };
  }

  private report(): void {
    this.listeners.onProgress?.({
      stage: this.stage,
      candidatesCompleted: this.completed,
      candidatesStoppedEarly: this.stoppedEarly,
      candidatesFailed: this.failed,
      maxCandidates: this.maxCandidates,
      ...(this.best && { best: this.best }),
    });
  }
}
