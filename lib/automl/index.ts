/** The AutoML engine: Autopilot's contract, locally, in TypeScript. */
export { ENSEMBLING_CHOICES, runAutoML, type AutoMLOptions, type AutoMLResult, type Ensembling } from "./automl.ts";
export type { AutoMLProgress, AutoMLStage } from "./progress.ts";
export type { LeaderboardEntry } from "./results.ts";
export { ignoredColumns, loadArtifact, predict, readPredictionCsv, type AutoMLModel, type Prediction, type PredictionInput } from "./predict.ts";
export { ArtifactError, ARTIFACT_FORMAT, ARTIFACT_FORMAT_VERSION, ENGINE_VERSION, type AutoMLArtifact, type InputColumn } from "./artifact.ts";
export { joinStages, loadAlgorithm, parseStageArtifact, splitIntoStages, transformFeatures, type AlgorithmArtifact, type DataProcessorArtifact, type LoadedAlgorithm, type StageArtifact } from "./stages.ts";
export { AutoMLInputError } from "./errors.ts";
export { analyseTable, INPUT_LIMITS, targetReader, type ColumnProfile, type DataAnalysis, type TargetAnalysis } from "./analysis/index.ts";
export { DEFAULT_OBJECTIVE, METRIC_NAMES, metricDirection, metricsFor, type MetricName } from "./metrics.ts";
export { PROBLEM_TYPES, type ProblemType } from "./problem.ts";
export { CsvSyntaxError, formatCsvRow, parseCsv, type Delimiter } from "./csv.ts";
export { readCsvTable, tableFromCsv, type CsvFormat, type InputRules, type Table } from "./table.ts";
export { decodeText, type TextEncoding } from "./text-encoding.ts";
export type { SearchEnd } from "./search/search.ts";
