import { splitIntoStages, tableFromCsv, type AutoMLArtifact, type AutoMLResult, type LeaderboardEntry } from "../../../automl/index.ts";
import { autopilotArtifacts, type AutopilotArtifacts, type AutopilotArtifactsInput, type S3ObjectToWrite } from "./autopilot-artifacts/index.ts";
import { candidateShape, type JobNaming, type TrainingMode } from "./autopilot-modes.ts";

/** What a job's worker needs to lay out its outputs, besides the engine's result. */
export interface JobOutputsSpec {
  mode: TrainingMode;
  naming: Omit<JobNaming, "problemType">;
  job: AutopilotArtifactsInput["job"];
  /** The server clock's offset from this machine's, for the reports' times. */
  clockOffsetMs: number;
}

/** The finished job as the server records it: the engine's leaderboard without the models. */
export interface JobSummary {
  problemType: string;
  metric: string;
  leaderboard: LeaderboardEntry[];
  bestName: string;
  end: AutoMLResult["end"];
}

export type JobOutputs = Pick<AutopilotArtifacts, "jobArtifacts" | "candidateLocations"> & { objects: S3ObjectToWrite[] };

/**
 * Every object a finished job writes under S3OutputPath/<job>/ (each completed candidate's models
 * at the ModelDataUrls its containers name, the notebooks and reports), built where the job ran so
 * the server's thread only writes them.
 */
export function jobOutputs(spec: JobOutputsSpec, result: AutoMLResult, csv: string): JobOutputs {
  const naming: JobNaming = { ...spec.naming, problemType: result.problemType };
  const shapes = result.leaderboard.map((entry) => candidateShape(spec.mode, naming, entry));
  const models = result.leaderboard.flatMap((entry, i) => {
    const validated = result.candidateArtifacts[entry.name];
    if (!validated) return [];
    return modelObjects(spec.mode, shapes[i]!.modelObjects, entry.name === result.best.name ? result.best.artifact : validated);
  });
  const reports = autopilotArtifacts({
    job: spec.job,
    result,
    table: tableFromCsv(csv),
    candidateNames: new Map(result.leaderboard.map((entry, i) => [entry.name, shapes[i]!.CandidateName])),
    now: new Date(Date.now() + spec.clockOffsetMs),
  });
  return { objects: [...models, ...reports.objects], jobArtifacts: reports.jobArtifacts, candidateLocations: reports.candidateLocations };
}

export function summarize(result: AutoMLResult): JobSummary {
  return { problemType: result.problemType, metric: result.objective.metric, leaderboard: result.leaderboard, bestName: result.best.name, end: result.end };
}

/** A completed candidate's model data: the whole model (ENSEMBLING), or its pipeline's data processor and algorithm (HPO). */
function modelObjects(mode: TrainingMode, uris: Record<string, string>, artifact: AutoMLArtifact): S3ObjectToWrite[] {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value), "utf8");
  if (mode === "ENSEMBLING") return [{ uri: uris.ensemble!, body: json(artifact), contentType: "application/json" }];
  const { dataProcessor, algorithm } = splitIntoStages(artifact);
  return [
    { uri: uris.dataProcessor!, body: json(dataProcessor), contentType: "application/json" },
    { uri: uris.algorithm!, body: json(algorithm), contentType: "application/json" },
  ];
}
