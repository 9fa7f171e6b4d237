import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AutoMLCandidate, DescribeTrainingJobCommandOutput } from "@aws-sdk/client-sagemaker";
import { parseCsv } from "../../lib/automl/csv.ts";
import { precisionRecallSpec, renderSvg, thresholdSpec } from "../../lib/flow/charts.ts";
import { helpText, parseCliOptions, type PredictWith } from "../../lib/flow/cli-options.ts";
import { bestF1Threshold, evaluateBinary } from "../../lib/flow/evaluation.ts";
import { algorithmOfImage, leaderboardRow, type Leaderboard } from "../../lib/flow/leaderboard.ts";
import { parsePredictions } from "../../lib/flow/predict.ts";
import { writePredictionsCsv, type TestPredictions } from "../../lib/flow/predictions-table.ts";
import { BLOG_NAMES } from "../../lib/flow/names.ts";
import { awsPlan, formatLeaderboard, formatPredictions } from "../../lib/flow/report.ts";
import { leaderboardTable, predictionsTable } from "../../lib/flow/tables.ts";
import { endpointAnswer } from "../helpers/endpoint-answer.ts";

/** A candidate as ListCandidatesForAutoMLJob answers it for an HPO job on AWS. */
function candidate(name: string, status: "Completed" | "Stopped", value?: number, image = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"): AutoMLCandidate {
  return {
    CandidateName: name,
    CandidateStatus: status,
    ObjectiveStatus: status === "Completed" ? "Succeeded" : "Failed",
    CreationTime: new Date("2026-01-01T09:00:00Z"),
    LastModifiedTime: new Date("2026-01-01T10:00:00Z"),
    ...(value !== undefined && { FinalAutoMLJobObjectiveMetric: { MetricName: "F1", Value: value } }),
    ...(status === "Stopped" && { FailureReason: "stopped early: its first validation round ranked outside the best third" }),
    CandidateSteps: [
      { CandidateStepType: "AWS::SageMaker::ProcessingJob", CandidateStepArn: "arn:x", CandidateStepName: "db-1" },
      { CandidateStepType: "AWS::SageMaker::TrainingJob", CandidateStepArn: "arn:x", CandidateStepName: "dpp0-1" },
      { CandidateStepType: "AWS::SageMaker::TrainingJob", CandidateStepArn: "arn:x", CandidateStepName: name },
    ],
    InferenceContainers:
      status === "Completed"
        ? [{ Image: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-sklearn-automl:2.5-1-cpu-py3", ModelDataUrl: "s3://b/dpp" }, { Image: image, ModelDataUrl: "s3://b/model" }]
        : [],
  };
}

/** DescribeTrainingJob's answer for an HPO training job: AWS's image, SageMaker's own hyperparameters among the algorithm's. */
function training(hyperparameters: Record<string, string>, seconds: number): DescribeTrainingJobCommandOutput {
  const end = new Date("2026-01-01T10:00:00Z");
  return {
    $metadata: {},
    TrainingJobName: "t",
    TrainingJobArn: "arn:t",
    ModelArtifacts: { S3ModelArtifacts: "s3://b/model" },
    TrainingJobStatus: "Completed",
    SecondaryStatus: "Completed",
    StoppingCondition: {},
    CreationTime: end,
    AlgorithmSpecification: { TrainingImage: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1", TrainingInputMode: "File" },
    HyperParameters: { _tuning_objective_metric: "validation:f1", sagemaker_program: "x", ...hyperparameters },
    TrainingStartTime: new Date(end.getTime() - seconds * 1000),
    TrainingEndTime: end,
  };
}

const board: Leaderboard = {
  maxCandidates: 3,
  rows: [
    leaderboardRow(candidate("job-001", "Completed", 0.95123), 1, "job-001", training({ eta: "0.30000001192092896", max_depth: "6", objective: "binary:logistic" }, 62.5)),
    leaderboardRow(candidate("job-002", "Completed", 0.9), 2, "job-001", training({ eta: "0.1", max_depth: "6", objective: "binary:logistic" }, 40)),
    // No training job to describe, and no containers: nothing says its algorithm.
    leaderboardRow(candidate("job-003", "Stopped"), 3, "job-001"),
  ],
};

describe("the leaderboard", () => {
  it("names an algorithm by its image's repository", () => {
    expect(algorithmOfImage("683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1")).toBe("xgboost");
    expect(algorithmOfImage("763104351884.dkr.ecr.us-east-1.amazonaws.com/autogluon-training:0.8.2-cpu-py3")).toBe("autogluon");
    expect(algorithmOfImage("382416733822.dkr.ecr.us-east-1.amazonaws.com/linear-learner:1")).toBe("linear-learner");
    expect(algorithmOfImage("local-aws.dkr.ecr.us-east-1.amazonaws.com/local-autopilot-gbdt:1")).toBe("gbdt");
  });

  it("takes each row's algorithm, hyperparameters (not SageMaker's own) and fit time from its training job, and its reason from ListCandidates", () => {
    expect(board.rows[0]).toEqual({
      rank: 1,
      name: "job-001",
      best: true,
      algorithm: "xgboost",
      hyperparameters: { eta: "0.30000001192092896", max_depth: "6", objective: "binary:logistic" },
      metric: "F1",
      value: 0.95123,
      fitSeconds: 62.5,
      status: "Completed",
    });
    expect(board.rows[2]).toEqual({ rank: 3, name: "job-003", best: false, hyperparameters: {}, metric: "objective", status: "Stopped", reason: "stopped early: its first validation round ranked outside the best third" });
    // Without its training job, a completed candidate's algorithm comes from its containers, past the data processing.
    expect(leaderboardRow(candidate("job-004", "Completed", 0.8, "x/mxnet-training:1.8"), 4, undefined).algorithm).toBe("mxnet");
  });

  it("reads as text: the best marked, the cross-validation objective labelled, the tuned hyperparameters, — for what is unknown, a reason under its row", () => {
    const lines = formatLeaderboard(board);
    expect(lines[0]).toBe("  3 candidates (MaxCandidates 3), 2 completed, best F1 first; ★ marks the job's best");
    expect(lines[1]).toMatch(/^ {5}rank +candidate +algorithm +F1 \(cross-validation\) +fit s +status +key hyperparameters$/);
    expect(lines[2]).toMatch(/^ {2}★ +1 +job-001 +xgboost +0\.9512 +62\.5 +Completed +eta=0\.3$/);
    expect(lines[3]).toMatch(/^ {5}2 +job-002 +xgboost +0\.9000 +40\.0 +Completed +eta=0\.1$/);
    expect(lines[4]).toMatch(/^ {5}3 +job-003 +— +— +— +Stopped +—$/);
    expect(lines[5]).toBe("        ↳ stopped early: its first validation round ranked outside the best third");
    expect(lines.slice(6).join("\n")).toContain("F1 (cross-validation): each candidate's score on the rows each fold held out");
    // A training job AWS would not describe is said once, with AWS's reason.
    const denied = formatLeaderboard({ ...board, detailsUnavailable: "DescribeTrainingJob job-001: AccessDeniedException: not authorized" });
    expect(denied.at(-1)).toBe("  algorithm, hyperparameters and fit time unknown where shown —: DescribeTrainingJob job-001: AccessDeniedException: not authorized");
  });

  it("reads as HTML with the same cells, the reason in the status cell", () => {
    const html = leaderboardTable(board);
    expect(html).toContain("<th>F1 (cross-validation)</th>");
    expect(html).toContain("<tr><td>★</td><td>1</td><td>job-001</td><td>xgboost</td><td>0.9512</td><td>62.5</td><td>Completed</td><td>eta=0.3</td></tr>");
    expect(html).toContain("<td>Stopped: stopped early: its first validation round ranked outside the best third</td>");
    expect(html).toContain("<p>3 candidates (MaxCandidates 3), 2 completed, best F1 first; ★ marks the job&#39;s best</p>");
  });
});

describe("the predictions table", () => {
  const probabilities = [0.9, 0.4, 0.6, 0.1, 0.8, 0.3, 0.7, 0.2, 0.95, 0.05, 0.35, 0.65];
  const truth = ["True.", "True.", "False.", "False.", "True.", "False.", "True.", "False.", "True.", "False.", "True.", "False."];
  const test: TestPredictions = {
    target: "Churn?",
    features: { header: ["State", "Day Mins"], rows: probabilities.map((_, i) => ["VT", String(i)]) },
    truth,
    predictions: parsePredictions(endpointAnswer(probabilities)),
  };

  it("shows the first test rows with truth, predicted_label and each class's probability, the misclassified marked, and the next ones after", () => {
    const lines = formatPredictions(test);
    // Wrong: rows 2 (0.4 for True.) and 3 (0.6 for False.) among the first ten; 11 and 12 after them.
    expect(lines[0]).toBe("  the first 10 of 12 test rows as the endpoint predicted them; 4 of 12 misclassified (✗), the next 2 of them added below");
    expect(lines[1]).toMatch(/^ {5}test row +Churn\? +predicted_label +probability False\. +probability True\.$/);
    expect(lines.slice(2).map((line) => line.trim().split(/ +/))).toEqual([
      ["1", "True.", "True.", "0.1000", "0.9000"],
      ["✗", "2", "True.", "False.", "0.6000", "0.4000"],
      ["✗", "3", "False.", "True.", "0.4000", "0.6000"],
      ["4", "False.", "False.", "0.9000", "0.1000"],
      ["5", "True.", "True.", "0.2000", "0.8000"],
      ["6", "False.", "False.", "0.7000", "0.3000"],
      ["7", "True.", "True.", "0.3000", "0.7000"],
      ["8", "False.", "False.", "0.8000", "0.2000"],
      ["9", "True.", "True.", "0.0500", "0.9500"],
      ["10", "False.", "False.", "0.9500", "0.0500"],
      ["✗", "11", "True.", "False.", "0.6500", "0.3500"],
      ["✗", "12", "False.", "True.", "0.3500", "0.6500"],
    ]);
    expect(predictionsTable(test)).toContain("<tr><td>✗</td><td>2</td><td>True.</td><td>False.</td><td>0.6000</td><td>0.4000</td></tr>");
  });

  it("writes every test row, features first, to predictions.csv with a header", () => {
    const dir = mkdtempSync(join(tmpdir(), "predictions-"));
    try {
      const rows = parseCsv(readFileSync(writePredictionsCsv(dir, test), "utf8"));
      expect(rows[0]).toEqual(["State", "Day Mins", "Churn?", "predicted_label", "probability False.", "probability True.", "correct"]);
      expect(rows.slice(1)).toHaveLength(12);
      expect(rows[2]).toEqual(["VT", "1", "True.", "False.", "0.6000", "0.4000", "no"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the precision-recall and threshold charts", () => {
  const evaluation = evaluateBinary(["True.", "True.", "False.", "False.", "True."], parsePredictions(endpointAnswer([0.9, 0.4, 0.6, 0.1, 0.8])));

  it("draw precision against recall, and precision, recall and F1 against the threshold with the best F1 marked", async () => {
    const pr = await renderSvg(precisionRecallSpec(evaluation));
    expect(pr).toContain("Precision-recall curve (average precision 0.9167)");
    expect(pr).toContain("a guess: 60% are True.");
    const thresholds = await renderSvg(thresholdSpec(evaluation));
    expect(bestF1Threshold(evaluation)!.threshold).toBe(0.4);
    expect(thresholds).toContain("Precision, recall and F1 by threshold (best F1 0.8571 at 0.40)");
    expect(thresholds).toContain("threshold on the probability of True.");
    for (const label of ["precision", "recall", "F1", "predicted_label (0.50)"]) expect(thresholds).toContain(`>${label}</text>`);
  });
});

describe("npm start --help", () => {
  const help = helpText();

  it("lists every option with its meaning and, where it has one, its default", () => {
    const options = [...help.matchAll(/^ {2}--([a-z-]+)( [A-Z|a-z_-]+)?/gm)].map((match) => match[1]!);
    expect(options).toEqual(expect.arrayContaining(["target", "yes", "region", "endpoint-url", "state-dir", "step", "keep", "least-privilege", "data-path", "max-candidates", "mode", "candidate", "predict-with", "iam-delay", "results", "help"]));
    expect(help).toContain("  --predict-with endpoint|batch|both\n");
    expect(help).toContain("  --data-path local|copy|direct\n");
    expect(help).toContain("Default: local.");
    const maxCandidates = help.slice(help.indexOf("  --max-candidates N\n"), help.indexOf("  --mode")).replace(/\s+/g, " ");
    expect(maxCandidates).toContain("Default: 3 on the local AWS, so that the job takes seconds on a laptop; 10 on AWS, as the blog asks");
    for (const line of help.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
  });

  it("lists only options npm start takes", () => {
    for (const [, name, value] of help.matchAll(/^ {2}--([a-z-]+)( \S+)?/gm)) {
      const args = name === "target" ? ["--target", "aws"] : ["--target", "aws", `--${name}`, ...(value ? [value.trim().split("|")[0]!] : [])];
      if (name === "iam-delay" || name === "step" || name === "help") continue;
      expect(() => parseCliOptions(args.map((arg) => (arg === "URL" ? "http://127.0.0.1:1" : arg === "N" ? "2" : arg)))).not.toThrow();
    }
  });
});

describe("npm start --target aws's plan", () => {
  const plan = (predictWith: PredictWith, keep = false) =>
    awsPlan(BLOG_NAMES, { region: "eu-west-1", dataPath: "local", maxCandidates: 10, keep, leastPrivilege: false, predictWith, instanceType: "ml.m5.large" }).join("\n");

  it("lists the endpoint, the transform job or both, and what each bills", () => {
    expect(plan("endpoint")).toContain("a model, an endpoint config and an endpoint (ml.m5.large)");
    expect(plan("endpoint")).not.toContain("transform");
    expect(plan("batch")).toContain("    a model and a batch transform job (ml.m5.large) reading the test rows from the bucket, its answers written there\n");
    expect(plan("batch")).toContain("  the transform job's instance while the job runs (minutes: it starts, scores the rows and stops by itself),\n");
    expect(plan("batch")).not.toContain("endpoint");
    expect(plan("both")).toMatch(/an endpoint \(ml\.m5\.large\)[^]*a batch transform job \(ml\.m5\.large\)[^]*the endpoint's instance for as long as it runs,\n {2}the transform job's instance/);
    expect(plan("batch", true)).toContain("With --keep nothing is deleted until you run --step cleanup.");
    expect(plan("both", true)).toContain("With --keep nothing is deleted: the endpoint keeps billing until you run --step cleanup.");
  });
});
