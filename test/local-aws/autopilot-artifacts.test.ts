import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCsv, runAutoML, tableFromCsv, type AutoMLResult } from "../../lib/automl/index.ts";
import { parseCommand } from "../../lib/automl/cli-args.ts";
import { computeMetric } from "../../lib/automl/metrics.ts";
import { parseImportanceReport } from "../../lib/flow/explainability.ts";
import {
  autopilotArtifacts,
  candidateDefinitionNotebook,
  dataExplorationNotebook,
  modelQualityReport,
  type AutopilotJobDescription,
  type ClarifyAnalysis,
  type ModelQualityStatistics,
  type Notebook,
} from "../../lib/local-aws/services/sagemaker/autopilot-artifacts/index.ts";
import { binaryCsv, multiclassCsv, regressionCsv } from "../automl/fixtures.ts";
import { mustHavePeers } from "../helpers/peer-clients.ts";

const run = promisify(execFile);

/** binaryCsv's rows, three of them repeated and one without a target. */
function binaryData(): string {
  const lines = binaryCsv(600).split("\n");
  return [...lines, lines[1]!, lines[2]!, lines[3]!, "C-999999,1.5,2,yes,red,north,"].join("\n");
}

const JOB: Omit<AutopilotJobDescription, "problemType" | "objective"> = {
  jobName: "churn-job",
  roleArn: "arn:aws:iam::111111111111:role/customer_trusting_saas",
  inputS3Uri: "s3://customer-bucket/input/",
  outputS3Path: "s3://customer-bucket/output/",
  target: "churned",
  mode: "HYPERPARAMETER_TUNING",
  completionCriteria: { MaxCandidates: 8 },
  seed: 0,
};

const apiNames = (result: AutoMLResult) => new Map(result.leaderboard.map((entry) => [entry.name, `churn-job-${entry.name}`]));
const text = (notebook: Notebook) => notebook.cells.map((cell) => cell.source.join("")).join("\n");
const bestOutput = (result: AutoMLResult) => result.validationOutputs[result.best.name]!;

function expectNbformat4(notebook: Notebook) {
  expect(notebook.nbformat).toBe(4);
  expect(notebook.nbformat_minor).toBeGreaterThanOrEqual(4);
  expect(notebook.metadata.kernelspec.name).toBe("python3");
  expect(notebook.cells.length).toBeGreaterThan(2);
  expect(new Set(notebook.cells.map((cell) => cell.id)).size).toBe(notebook.cells.length);
  for (const cell of notebook.cells) {
    expect(["markdown", "code"]).toContain(cell.cell_type);
    expect(cell.metadata).toEqual({});
    expect(Array.isArray(cell.source)).toBe(true);
    if (cell.cell_type === "code") expect(cell).toMatchObject({ execution_count: null, outputs: [] });
  }
  // Round-trips as JSON, as it is stored.
  expect(JSON.parse(JSON.stringify(notebook))).toEqual(notebook);
}

describe("Autopilot job artifacts from a binary job", () => {
  const csv = binaryData();
  /** As JOB runs in HYPERPARAMETER_TUNING mode: the tuned candidates alone, five of these eight stopped by successive halving. */
  let result: AutoMLResult;
  /** As an ENSEMBLING job runs: one weighted ensemble per trial. */
  let ensemblingResult: AutoMLResult;
  beforeAll(async () => {
    result = await runAutoML({ csv, target: "churned", maxCandidates: 8, ensembling: "none", seed: 0, workers: 2 });
    ensemblingResult = await runAutoML({ csv, target: "churned", maxCandidates: 3, ensembling: "trials", seed: 0, workers: 2 });
  }, 120_000);

  it("the engine hands back the scored rows' targets and each completed candidate's validation output, structured-cloneable", () => {
    expect(result.validation.y).toHaveLength(result.validation.scoredRows);
    const completed = result.leaderboard.filter((entry) => entry.status === "Completed");
    expect(Object.keys(result.validationOutputs).sort()).toEqual(completed.map((entry) => entry.name).sort());
    for (const entry of completed) {
      const output = result.validationOutputs[entry.name]!;
      expect(output).toHaveLength(result.validation.scoredRows);
      expect(computeMetric("F1", result.validation.y, output, { kind: "binary" }, entry.decisionThreshold)).toBeCloseTo(entry.objective!, 12);
    }
    const cloned = structuredClone(result);
    expect(cloned.validationOutputs[result.best.name]).toEqual(bestOutput(result));
    expect(cloned.validation.y).toEqual(result.validation.y);
  });

  it("lays the reports out under S3OutputPath/<job>/ as Autopilot does, locations for the best candidate only", () => {
    const artifacts = autopilotArtifacts({ job: JOB, result, table: tableFromCsv(csv), candidateNames: apiNames(result), now: new Date("2024-05-01T12:00:00Z") });
    const base = "s3://customer-bucket/output/churn-job";
    const best = `churn-job-${result.best.name}`;
    expect(artifacts.jobArtifacts.DataExplorationNotebookLocation).toMatch(new RegExp(`^${base}/sagemaker-automl-candidates/churn-job-pr-1-[0-9a-f]{32}/notebooks/SageMakerAutopilotDataExplorationNotebook\\.ipynb$`));
    expect(artifacts.jobArtifacts.CandidateDefinitionNotebookLocation).toBe(
      artifacts.jobArtifacts.DataExplorationNotebookLocation.replace("DataExploration", "CandidateDefinition"),
    );
    expect([...artifacts.candidateLocations]).toEqual([
      [best, { Explainability: `${base}/documentation/explainability/output/${best}`, ModelInsights: `${base}/documentation/model_monitor/output/${best}` }],
    ]);
    expect(artifacts.objects.map((object) => [object.uri, object.contentType, object.report])).toEqual([
      [artifacts.jobArtifacts.DataExplorationNotebookLocation, "application/x-ipynb+json", undefined],
      [artifacts.jobArtifacts.CandidateDefinitionNotebookLocation, "application/x-ipynb+json", undefined],
      [`${base}/documentation/explainability/output/${best}/analysis.json`, "application/json", "explainability"],
      [`${base}/documentation/explainability/output/${best}/report.ipynb`, "application/x-ipynb+json", "explainability"],
      [`${base}/documentation/model_monitor/output/${best}/statistics.json`, "application/json", "model-insights"],
    ]);
    for (const object of artifacts.objects) expect(() => JSON.parse(object.body.toString("utf8"))).not.toThrow();
    const statistics = JSON.parse(artifacts.objects[4]!.body.toString("utf8")) as ModelQualityStatistics;
    expect(statistics.dataset).toEqual({ item_count: result.validation.scoredRows, evaluation_time: "2024-05-01T12:00:00.000Z" });

    // AWS writes no candidate definition notebook in ensembling mode; the best candidate there is a trial's ensemble.
    const ensemblingJob = { ...JOB, mode: "ENSEMBLING" as const, completionCriteria: { MaxCandidates: 3 } };
    const ensembling = autopilotArtifacts({ job: ensemblingJob, result: ensemblingResult, table: tableFromCsv(csv), candidateNames: apiNames(ensemblingResult), now: new Date() });
    const bestEnsemble = `churn-job-${ensemblingResult.best.name}`;
    expect(ensemblingResult.leaderboard.map((entry) => entry.algorithm)).toEqual(["ensemble", "ensemble", "ensemble"]);
    expect(ensembling.jobArtifacts).toEqual({ DataExplorationNotebookLocation: artifacts.jobArtifacts.DataExplorationNotebookLocation });
    expect(ensembling.objects.map((object) => [object.uri, object.report])).toEqual([
      [artifacts.jobArtifacts.DataExplorationNotebookLocation, undefined],
      [`${base}/documentation/explainability/output/${bestEnsemble}/analysis.json`, "explainability"],
      [`${base}/documentation/explainability/output/${bestEnsemble}/report.ipynb`, "explainability"],
      [`${base}/documentation/model_monitor/output/${bestEnsemble}/statistics.json`, "model-insights"],
    ]);
  });

  it("the data exploration notebook shows this data's columns, missing values, duplicates and class balance", () => {
    const notebook = dataExplorationNotebook({ job: { ...JOB, problemType: result.problemType, objective: "F1" }, analysis: result.analysis, table: tableFromCsv(csv) });
    expectNbformat4(notebook);
    const body = text(notebook);
    const rows = parseCsv(csv).slice(1);
    const labelled = rows.filter((row) => row[6] !== "");
    const missingUsage = labelled.filter((row) => row[1] === "").length;
    expect(missingUsage).toBeGreaterThan(0);
    expect(body).toContain(`| usage | numeric | feature | ${missingUsage} | ${((missingUsage / labelled.length) * 100).toFixed(1)}% |`);
    expect(body).toMatch(/\| customer \| id \| dropped: ID-like: \d+ distinct values in \d+ rows \|/);
    expect(body).toContain("| region | constant | dropped: it holds a single value |");
    expect(body).toContain("| Rows | 604 |");
    expect(body).toContain("| Rows with a target value (trained on) | 603 |");
    expect(body).toContain("| Duplicate rows | 3 (0.5%) |");
    for (const label of ["no", "yes"]) {
      const count = labelled.filter((row) => row[6] === label).length;
      expect(body).toContain(`| ${label} | ${count} | ${((count / labelled.length) * 100).toFixed(1)}% |`);
    }
    expect(body).toContain("Low severity: Duplicate rows");
    expect(body).toContain("Low severity: ID-like column dropped");
    expect(body).toContain("Low severity: Missing target values");
    expect(body).toContain('INPUT_S3_URI = "s3://customer-bucket/input/"');
  });

  it("the candidate definition notebook lists every candidate with its status, hyperparameters, metrics and how to retrain", () => {
    const notebook = candidateDefinitionNotebook({
      job: { ...JOB, problemType: result.problemType, objective: result.objective.metric },
      leaderboard: result.leaderboard,
      validation: result.validation,
      candidateNames: apiNames(result),
    });
    expectNbformat4(notebook);
    const body = text(notebook);
    for (const entry of result.leaderboard) {
      expect(body).toContain(`## ${entry.rank}. churn-job-${entry.name}`);
      expect(body).toContain(`Engine name \`${entry.name}\``);
    }
    expect(body).toContain("| Mode | HYPERPARAMETER_TUNING |");
    expect(body).toContain("| Objective | F1 (maximize) |");
    expect(body).toContain("5-fold cross-validation");
    expect(body).toContain("--target 'churned'");
    expect(body).toContain("--max-candidates 8");
    expect(body).toContain("--ensembling none");
    expect(body).toContain("--seed 0");
    expect(body).toContain('"TargetAttributeName": "churned"');
    expect(body).toContain('"MaxCandidates": 8');
    expect(body).not.toContain("(the runtime limits aside");
    const stopped = result.leaderboard.filter((entry) => entry.stoppedEarly);
    expect(stopped.length).toBeGreaterThan(0);
    expect(body.split("Stopped by successive halving after its first validation round")).toHaveLength(stopped.length + 1);
    // HPO mode builds no ensemble, and the notebook says so rather than describing one.
    expect(result.leaderboard.map((entry) => entry.algorithm)).not.toContain("ensemble");
    expect(body).toContain("Every candidate is one tuned model: this job built no ensemble.");
    expect(body).not.toMatch(/### Ensemble|ensemble of the completed candidates/);
  });

  it("the candidate definition notebook's local retrain command, run, brings back the job's leaderboard", async () => {
    const body = text(candidateDefinitionNotebook({ job: { ...JOB, problemType: result.problemType, objective: result.objective.metric }, leaderboard: result.leaderboard, validation: result.validation, candidateNames: apiNames(result) }));
    const command = /```sh\n(.*?)\n```/s.exec(body)![1]!.replace(/ \\\n {2}/g, " ").replace("<local copy of the input CSV>", "data.csv");
    const words = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2]!);
    expect(words.slice(0, 4)).toEqual(["npm", "run", "automl", "--"]);
    const parsed = parseCommand(words.slice(4));
    if (parsed.command !== "train") throw new Error(`expected a train command, got ${parsed.command}`);
    const again = await runAutoML({ csv, target: parsed.target, ...parsed.settings, workers: 2 });
    const summary = (entries: AutoMLResult["leaderboard"]) => entries.map((entry) => [entry.name, entry.status, entry.objective]);
    expect(summary(again.leaderboard)).toEqual(summary(result.leaderboard));
  }, 60_000);

  it("the candidate definition notebook's retrain command spells out HPO mode's default of 100 candidates, and a runtime limit's caveat", () => {
    const notebook = candidateDefinitionNotebook({
      job: { ...JOB, completionCriteria: { MaxAutoMLJobRuntimeInSeconds: 600 }, problemType: result.problemType, objective: result.objective.metric },
      leaderboard: result.leaderboard,
      validation: result.validation,
      candidateNames: apiNames(result),
    });
    const body = text(notebook);
    expect(body).toContain("--max-candidates 100");
    expect(body).toContain("--ensembling none");
    expect(body).toContain("--max-runtime 600");
    expect(body).toContain("(the runtime limits aside: what finishes in time depends on the machine)");
  });

  it("the model quality report's confusion matrix, metrics and curves agree with the validation output", () => {
    const y = result.validation.y;
    const output = bestOutput(result);
    const { labels, decisionThreshold } = result.best.artifact;
    // "no" is the minority: the positive class, listed second.
    expect(labels).toEqual(["yes", "no"]);
    const report = modelQualityReport({ problemType: "BinaryClassification", labels, decisionThreshold: decisionThreshold!, y, output, evaluatedAt: new Date(0) });
    const metrics = report.binary_classification_metrics!;
    let tp = 0, fp = 0, tn = 0, fn = 0;
    y.forEach((truth, i) => {
      const positive = output[i]! > decisionThreshold!;
      if (truth === 1) positive ? tp++ : fn++;
      else positive ? fp++ : tn++;
    });
    expect(metrics.confusion_matrix).toEqual({ yes: { yes: tn, no: fp }, no: { yes: fn, no: tp } });
    expect(tp + fp + tn + fn).toBe(result.validation.scoredRows);
    expect(metrics.precision.value).toBeCloseTo(tp / (tp + fp), 12);
    expect(metrics.recall.value).toBeCloseTo(tp / (tp + fn), 12);
    expect(metrics.accuracy.value).toBeCloseTo((tp + tn) / y.length, 12);
    expect(metrics.false_positive_rate.value).toBeCloseTo(fp / (fp + tn), 12);
    expect(metrics.f1.value).toBeCloseTo((2 * tp) / (2 * tp + fp + fn), 12);
    expect(metrics.f2.value).toBeCloseTo((5 * tp) / (5 * tp + 4 * fn + fp), 12);
    const bestEntry = result.leaderboard.find((entry) => entry.name === result.best.name)!;
    expect(metrics.f1.value).toBeCloseTo(bestEntry.metrics.F1!, 12);
    expect(metrics.auc.value).toBeCloseTo(bestEntry.metrics.AUC!, 12);
    expect(metrics.log_loss.value).toBeCloseTo(bestEntry.metrics.LogLoss!, 12);
    const prevalence = (tp + fn) / y.length;
    expect(metrics.precision_best_constant_classifier.value).toBeCloseTo(prevalence, 12);
    expect(metrics.f1_best_constant_classifier.value).toBeCloseTo((2 * prevalence) / (1 + prevalence), 12);
    // 600 scored rows: standard deviations over five 80% subsamples.
    expect(typeof metrics.f1.standard_deviation).toBe("number");
    expect(metrics.f1.standard_deviation as number).toBeGreaterThan(0);

    const roc = metrics.receiver_operating_characteristic_curve;
    expect([roc.false_positive_rates[0], roc.true_positive_rates[0]]).toEqual([0, 0]);
    expect([roc.false_positive_rates.at(-1), roc.true_positive_rates.at(-1)]).toEqual([1, 1]);
    for (let i = 1; i < roc.false_positive_rates.length; i++) {
      expect(roc.false_positive_rates[i]!).toBeGreaterThanOrEqual(roc.false_positive_rates[i - 1]!);
      expect(roc.true_positive_rates[i]!).toBeGreaterThanOrEqual(roc.true_positive_rates[i - 1]!);
    }
    let area = 0;
    for (let i = 1; i < roc.false_positive_rates.length; i++) {
      area += ((roc.false_positive_rates[i]! - roc.false_positive_rates[i - 1]!) * (roc.true_positive_rates[i]! + roc.true_positive_rates[i - 1]!)) / 2;
    }
    expect(area).toBeCloseTo(metrics.auc.value as number, 10);
    const pr = metrics.precision_recall_curve;
    expect([pr.recalls[0], pr.precisions[0], pr.recalls.at(-1), pr.precisions.at(-1)]).toEqual([0, 1, 1, prevalence]);
    for (let i = 1; i < pr.recalls.length; i++) expect(pr.recalls[i]!).toBeGreaterThanOrEqual(pr.recalls[i - 1]!);
  });

  it("below 200 rows the standard deviations are NaN, as Model Monitor reports them", () => {
    const report = modelQualityReport({ problemType: "BinaryClassification", labels: ["no", "yes"], y: result.validation.y.slice(0, 150), output: bestOutput(result).slice(0, 150), evaluatedAt: new Date(0) });
    expect(report.binary_classification_metrics!.accuracy.standard_deviation).toBe("NaN");
    expect(report.dataset.item_count).toBe(150);
  });

  it("the explainability report is Clarify's analysis.json holding the permutation importance, readable by the flow's reader", () => {
    const artifacts = autopilotArtifacts({ job: JOB, result, table: tableFromCsv(csv), candidateNames: apiNames(result), now: new Date() });
    const object = artifacts.objects.find((candidate) => candidate.uri.endsWith("/analysis.json"))!;
    const analysis = JSON.parse(object.body.toString("utf8")) as ClarifyAnalysis;
    const values = analysis.explanations.kernel_shap.label0.global_shap_values;
    expect(Object.entries(values)).toEqual(result.best.featureImportance.map(({ column, importance }) => [column, importance]));
    expect(Object.keys(values).sort()).toEqual(["calls", "color", "plan", "usage"]);
    expect(Object.values(values).reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    expect(analysis.note).toMatch(/permutation importance, not SHAP/);
    const output = bestOutput(result);
    expect(analysis.explanations.kernel_shap.label0.expected_value).toBeCloseTo(output.reduce((a, b) => a + b) / output.length, 12);
    // The reader renormalizes the shares: equal to the last bits or so.
    const read = parseImportanceReport(object.uri, object.body.toString("utf8"));
    expect(read.map((f) => f.column)).toEqual(result.best.featureImportance.map((f) => f.column));
    read.forEach((f, i) => expect(f.importance).toBeCloseTo(result.best.featureImportance[i]!.importance, 12));
  });

  describe("executed headless by Jupyter (python3 kernel)", () => {
    const jupyter = existsSync("/usr/bin/jupyter") ? "/usr/bin/jupyter" : undefined;
    const dir = mkdtempSync(join(tmpdir(), "autopilot-notebooks-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.skipIf(!jupyter && !mustHavePeers())("both notebooks are valid nbformat and run without error, the pandas cells recomputing the report's counts", async () => {
      if (!jupyter) throw new Error("jupyter is not installed (apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel python3-pandas)");
      const artifacts = autopilotArtifacts({ job: JOB, result, table: tableFromCsv(csv), candidateNames: apiNames(result), now: new Date() });
      const notebooks = artifacts.objects.filter((object) => object.uri.endsWith(".ipynb"));
      expect(notebooks).toHaveLength(3);
      const dataPath = join(dir, "data.csv");
      writeFileSync(dataPath, csv);
      for (const [i, object] of notebooks.entries()) {
        const path = join(dir, `notebook-${i}.ipynb`);
        writeFileSync(path, object.body);
        await run("/usr/bin/python3", ["-c", "import nbformat, sys; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", path]);
        await run(jupyter, ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=python3", "--output", `executed-${i}.ipynb`, "--output-dir", dir, path], {
          env: { ...process.env, AUTOPILOT_DATA_CSV: i === 0 ? dataPath : "" },
        });
      }
      const executed = JSON.parse(readFileSync(join(dir, "executed-0.ipynb"), "utf8")) as { cells: { outputs?: { text?: string[] }[] }[] };
      const printed = executed.cells.flatMap((cell) => cell.outputs ?? []).flatMap((output) => output.text ?? []).join("");
      const summary = JSON.parse(/\{\n[\s\S]*?\n\}/.exec(printed)![0]) as { rows: number; rows_with_target: number; duplicate_rows: number; missing: Record<string, number>; distinct: Record<string, number> };
      expect(summary).toMatchObject({ rows: 604, rows_with_target: result.analysis.rows, duplicate_rows: 3 });
      for (const column of result.analysis.columns.filter((c) => c.role !== "target")) {
        expect(summary.missing[column.name]).toBe(column.missing);
        expect(summary.distinct[column.name]).toBe(column.distinct);
      }
      const definitions = JSON.parse(readFileSync(join(dir, "executed-1.ipynb"), "utf8")) as { cells: { outputs?: { text?: string[] }[] }[] };
      expect(definitions.cells.flatMap((cell) => cell.outputs ?? []).flatMap((output) => output.text ?? []).join("")).toContain('"AutoMLJobName": "churn-job-retrain"');
    }, 180_000);
  });
});

describe("model quality reports for multiclass and regression jobs", () => {
  it("multiclass: the confusion matrix sums to the scored rows, weighted recall equals accuracy, per-class support is the class counts", async () => {
    const result = await runAutoML({ csv: multiclassCsv(600), target: "species", maxCandidates: 2, seed: 2, workers: 2 });
    const { y } = result.validation;
    const labels = result.analysis.target.labels;
    const report = modelQualityReport({ problemType: result.problemType, labels, y, output: bestOutput(result), evaluatedAt: new Date(0) });
    const metrics = report.multiclass_classification_metrics!;
    const cells = Object.values(metrics.confusion_matrix).flatMap((row) => Object.values(row));
    expect(cells).toHaveLength(9);
    expect(cells.reduce((a, b) => a + b)).toBe(result.validation.scoredRows);
    const bestEntry = result.leaderboard.find((entry) => entry.name === result.best.name)!;
    expect(metrics.accuracy.value).toBeCloseTo(bestEntry.metrics.Accuracy!, 12);
    expect(metrics.weighted_recall.value).toBeCloseTo(metrics.accuracy.value as number, 12);
    expect(metrics.macro_f1.value).toBeCloseTo(bestEntry.metrics.F1macro!, 12);
    const diagonal = labels.reduce((sum, label) => sum + metrics.confusion_matrix[label]![label]!, 0);
    expect(diagonal / y.length).toBeCloseTo(metrics.accuracy.value as number, 12);
    labels.forEach((label, c) => expect(metrics.per_class_metrics[label]!.support).toBe(y.filter((value) => value === c).length));
    const majority = Math.max(...labels.map((_, c) => y.filter((value) => value === c).length)) / y.length;
    expect(metrics.accuracy_best_constant_classifier.value).toBeCloseTo(majority, 12);
    expect(metrics.weighted_precision_best_constant_classifier.value).toBeCloseTo(majority * majority, 12);
  }, 120_000);

  it("regression: the error metrics match the leaderboard's, with the residual and actual-against-predicted data", async () => {
    const result = await runAutoML({ csv: regressionCsv(600), target: "y", maxCandidates: 2, seed: 4, workers: 2 });
    const { y } = result.validation;
    const report = modelQualityReport({ problemType: "Regression", labels: [], y, output: bestOutput(result), evaluatedAt: new Date(0) });
    const metrics = report.regression_metrics!;
    const bestEntry = result.leaderboard.find((entry) => entry.name === result.best.name)!;
    expect(metrics.mse.value).toBeCloseTo(bestEntry.metrics.MSE!, 12);
    expect(metrics.rmse.value).toBeCloseTo(Math.sqrt(bestEntry.metrics.MSE!), 12);
    expect(metrics.mae.value).toBeCloseTo(bestEntry.metrics.MAE!, 12);
    expect(metrics.r2.value).toBeCloseTo(bestEntry.metrics.R2!, 12);
    expect(metrics.standardized_residual_histogram.counts.reduce((a, b) => a + b)).toBe(y.length);
    expect(metrics.standardized_residual_histogram.bin_edges).toHaveLength(metrics.standardized_residual_histogram.counts.length + 1);
    expect(metrics.actual_vs_predicted.actual).toEqual(Array.from(y));
    expect(metrics.actual_vs_predicted.line_of_best_fit.slope).toBeGreaterThan(0.9);
    expect(metrics.residuals.standard_deviation).toBeCloseTo(Math.sqrt(bestEntry.metrics.MSE! - metrics.residuals.mean ** 2), 10);
  }, 120_000);

  it("regression on 300,000 scored rows: the residuals' range and histogram span every row", () => {
    const rows = 300_000;
    const y = Float64Array.from({ length: rows }, (_, i) => i);
    const output = Float64Array.from(y, (value, i) => value + (i === 7 ? 50 : i === 123_456 ? -80 : (i % 5) - 2));
    const metrics = modelQualityReport({ problemType: "Regression", labels: [], y, output, evaluatedAt: new Date(0) }).regression_metrics!;
    expect([metrics.residuals.min, metrics.residuals.max]).toEqual([-50, 80]);
    const { bin_edges, counts } = metrics.standardized_residual_histogram;
    expect(counts.reduce((a, b) => a + b)).toBe(rows);
    expect(bin_edges[0]).toBeCloseTo(-50 / metrics.residuals.standard_deviation, 9);
    expect(bin_edges.at(-1)).toBeCloseTo(80 / metrics.residuals.standard_deviation, 9);
    expect(metrics.actual_vs_predicted.actual).toHaveLength(1000);
  });
});
