import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeAutoMLJobCommand, DescribeModelCommand } from "@aws-sdk/client-sagemaker";
import { InvokeEndpointCommand } from "@aws-sdk/client-sagemaker-runtime";
import type { TrainingMode } from "../../lib/flow/automl-job.ts";
import { dataFiles, parseTable, separateTarget, toCsv } from "../../lib/flow/data-set.ts";
import { FlowContext, type FlowSettings } from "../../lib/flow/flow-context.ts";
import { BLOG_NAMES } from "../../lib/flow/names.ts";
import { runSteps, type StepResults } from "../../lib/flow/steps.ts";
import { startLocalTarget, type RunningTarget } from "../../lib/flow/targets.ts";

const dirs: string[] = [];
const targets: RunningTarget[] = [];
afterAll(async () => {
  for (const target of targets) await target.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function settings(running: RunningTarget, workDir: string, mode: TrainingMode, candidate?: string): FlowSettings {
  return {
    target: running.target,
    names: BLOG_NAMES,
    dataPath: "local",
    maxCandidates: 3,
    mode,
    ...(candidate !== undefined && { candidate }),
    leastPrivilege: false,
    workDir,
    instanceType: "ml.m5.large",
    jobPollMs: 200,
    transformPollMs: 100,
    endpointWaitSeconds: 60,
    sessionSeconds: 3600,
    iamSettling: { attempts: 1, intervalMs: 0 },
    log: () => {},
  };
}

interface Answer {
  predicted_label: string;
  probability: number;
  probabilities: number[];
  labels: string[];
}

/** The share of (positive, negative) pairs a score ranks right, ties counting half: the AUC, counted pair by pair. */
function pairwiseAuc(positive: boolean[], scores: number[]): number {
  let right = 0;
  let pairs = 0;
  positive.forEach((isPositive, i) => {
    if (!isPositive) return;
    positive.forEach((other, j) => {
      if (other) return;
      pairs++;
      right += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    });
  });
  return right / pairs;
}

describe.each<TrainingMode>(["ENSEMBLING", "HYPERPARAMETER_TUNING"])("the blog's flow with an Autopilot job in %s mode", (mode) => {
  it("scores the test rows from the labels and class probabilities the endpoint returns, a transform job answers them alike, and a chosen candidate serves both", async () => {
    const workDir = mkdtempSync(join(tmpdir(), "flow-modes-"));
    dirs.push(workDir);
    const running = await startLocalTarget(workDir);
    targets.push(running);
    const context = new FlowContext(settings(running, workDir, mode));
    const results: StepResults = {};
    await runSteps(context, ["accounts", "customer-iam", "saas-iam", "data", "assume-role", "upload", "job", "deploy", "predict", "batch"], results);

    const { sagemaker, runtime } = await context.asRole();
    const { jobName, endpoint, model } = context.state.read();
    const job = await sagemaker.send(new DescribeAutoMLJobCommand({ AutoMLJobName: jobName }));
    expect(job.AutoMLJobConfig?.Mode).toBe(mode);
    expect(job.BestCandidate!.InferenceContainers).toHaveLength(mode === "ENSEMBLING" ? 1 : 3);

    // The endpoint's own answers, scored here by counting, against the flow's evaluation.
    const test = separateTarget(parseTable(readFileSync(dataFiles(context.dataDir).test, "utf8")), BLOG_NAMES.target);
    const body = Buffer.from(toCsv(test.features, false));
    const answer = await runtime.send(new InvokeEndpointCommand({ EndpointName: endpoint, ContentType: "text/csv", Accept: "application/json", Body: body }));
    const answers = (JSON.parse(Buffer.from(answer.Body!).toString("utf8")) as { predictions: Answer[] }).predictions;
    const positive = answers[0]!.labels[1]!;
    const accuracy = answers.filter((a, i) => a.predicted_label === test.truth[i]).length / answers.length;
    const auc = pairwiseAuc(
      test.truth.map((label) => label === positive),
      answers.map((a) => a.probabilities[a.labels.indexOf(positive)]!),
    );
    const evaluation = results.evaluation!;
    if (evaluation.kind !== "binary") throw new Error(`a ${evaluation.kind} evaluation of the churn data`);
    expect(evaluation.positiveLabel).toBe(positive);
    expect(evaluation.accuracy).toBeCloseTo(accuracy, 12);
    expect(evaluation.auc).toBeCloseTo(auc, 12);
    expect(evaluation.auc).toBeGreaterThan(0.9);

    // The transform job's output, joined to its rows, read back row for row as the endpoint answered them (ENSEMBLING: one container; HPO: the three-container pipeline).
    const batch = results.batch!;
    expect(batch.agreement).toEqual({ rows: 1000, differing: [] });
    expect(batch.predictions.predictions).toEqual(results.predictions!.predictions);
    expect(batch.evaluation).toEqual(evaluation);

    // Another candidate from the leaderboard, deployed by name.
    const chosen = results.leaderboard!.rows.find((row) => row.rank > 1 && row.status === "Completed" && row.name !== job.BestCandidate!.CandidateName)!;
    const again = new FlowContext(settings(running, workDir, mode, chosen.name));
    const chosenResults: StepResults = {};
    await runSteps(again, ["deploy", "predict", "batch"], chosenResults);
    const deployed = await sagemaker.send(new DescribeModelCommand({ ModelName: again.state.read().model }));
    const listed = (await sagemaker.send(new DescribeAutoMLJobCommand({ AutoMLJobName: jobName }))).BestCandidate!;
    // Its own model and endpoint; the best's are kept in the run state for cleanup.
    expect(again.state.read().model).not.toBe(model);
    expect(again.state.read().earlierHosting?.map((hosting) => hosting.model)).toContain(model);
    expect((deployed.Containers ?? [deployed.PrimaryContainer]).map((c) => c!.ModelDataUrl)).not.toEqual(listed.InferenceContainers!.map((c) => c.ModelDataUrl));
    expect(chosenResults.evaluation!.rows).toBe(test.truth.length);
    // The transform job ran the chosen candidate too: its own model, of the chosen candidate's artifacts, and the same answers.
    const batchModel = await sagemaker.send(new DescribeModelCommand({ ModelName: again.state.read().transform!.model }));
    expect(batchModel.Containers!.map((c) => c.ModelDataUrl)).toEqual(deployed.Containers!.map((c) => c.ModelDataUrl));
    expect(chosenResults.batch!.agreement!.differing).toEqual([]);
    expect(again.state.read().earlierTransforms).toHaveLength(1);

    await expect(runSteps(new FlowContext(settings(running, workDir, mode, "no-such-candidate")), ["deploy"])).rejects.toThrow(/has no candidate named no-such-candidate/);
    await runSteps(again, ["cleanup"]);
  }, 180_000);
});
