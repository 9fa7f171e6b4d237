import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { JobOutcomeError } from "./flow/automl-job.ts";
import { describeError } from "./flow/aws-errors.ts";
import { CleanupIncompleteError } from "./flow/cleanup-report.ts";
import { featureImportanceSpec, renderSvg, runCharts, writeCharts } from "./flow/charts.ts";
import { helpText, parseCliOptions, UsageError, USAGE, wantsHelp, type CliOptions } from "./flow/cli-options.ts";
import { FLOW_INSTANCE_TYPE, FlowContext, flowSettings, type FlowSettings } from "./flow/flow-context.ts";
import { Interruption } from "./flow/interruption.ts";
import { BLOG_NAMES } from "./flow/names.ts";
import { checkConfigurationProfiles } from "./flow/profile-check.ts";
import { writePredictionsCsv } from "./flow/predictions-table.ts";
import { awsPlan, localPlan } from "./flow/report.ts";
import { runSteps, type StepResults } from "./flow/steps.ts";
import { resolveRegion } from "./flow/region.ts";
import { awsTarget, sharedFiles, startLocalTarget, TargetError, type RunningTarget } from "./flow/targets.ts";

// `npm start`: the blog's cross-account flow end to end, on the local two-account AWS unless --target aws.

const log = (line: string) => console.log(line);

function settingsFor(options: CliOptions, running: RunningTarget, workDir: string, signal: AbortSignal): FlowSettings {
  const { dataPath, maxCandidates, mode, candidate, leastPrivilege } = options;
  return flowSettings(running.target, { dataPath, maxCandidates, mode, ...(candidate !== undefined && { candidate }), leastPrivilege, workDir, log, signal });
}

/** The command that cleans up this run later: its folder, and on AWS the same region and endpoint. */
function cleanupCommand(options: CliOptions, workDir: string, region?: string): string {
  const aws = options.target === "aws" ? ` --target aws --region ${region} ${options.endpointUrl ? `--endpoint-url ${options.endpointUrl} ` : ""}--yes` : "";
  return `npm start -- --state-dir ${workDir}${aws} --step cleanup`;
}

/**
 * The run's charts and its test rows' predictions, as files in `dir`: the endpoint's, the transform
 * job's named with a `batch-` prefix, and the job's feature importance once; returns their paths.
 */
async function writeResults(dir: string, results: StepResults): Promise<string[]> {
  const { evaluation, predictions, batch, featureImportance } = results;
  if (!evaluation && !batch) return [];
  const features = featureImportance?.length ? writeCharts(dir, { featureImportance: await renderSvg(featureImportanceSpec(featureImportance)) }) : [];
  return [
    ...(evaluation ? writeCharts(dir, await runCharts(evaluation)) : []),
    ...(predictions ? [writePredictionsCsv(dir, predictions)] : []),
    ...(batch ? [...writeCharts(dir, await runCharts(batch.evaluation), "batch-"), writePredictionsCsv(dir, batch.predictions, "batch-predictions.csv")] : []),
    ...features,
  ];
}

async function cleanUpAfter(reason: string, settings: FlowSettings): Promise<boolean> {
  log(`${reason}: cleaning up`);
  try {
    await runSteps(new FlowContext(settings), ["cleanup"]);
    return true;
  } catch (error) {
    console.error(`cleanup failed: ${(error as Error).message}`);
    return false;
  }
}

async function main(argv: string[]): Promise<number> {
  if (wantsHelp(argv)) {
    log(helpText());
    return 0;
  }
  const options = parseCliOptions(argv);
  const region = options.target === "aws" ? resolveRegion({ ...(options.region && { explicit: options.region }), profile: BLOG_NAMES.customerProfile, configFile: sharedFiles().configFile }) : undefined;
  // Real AWS: no endpoint override from the environment, and both profiles authenticate, before anything is made.
  const aws = region ? awsTarget(region.region, options.endpointUrl ? { endpoint: options.endpointUrl } : {}) : undefined;
  if (aws && region && !options.yes) {
    log(`region ${region.region} (${region.source})`);
    awsPlan(BLOG_NAMES, { ...options, region: region.region, instanceType: FLOW_INSTANCE_TYPE }).forEach(log);
    log("Run again with --yes to go ahead.");
    return 0;
  }
  if (aws) (await checkConfigurationProfiles(aws.target, BLOG_NAMES)).forEach(log);
  const temporary = options.target === "local" && !options.stateDir;
  const workDir = resolve(options.stateDir ?? (temporary ? mkdtempSync(resolve(tmpdir(), "autopilot-run-")) : ".autopilot-run"));
  const leftBehind = `state in ${workDir}; clean up with: ${cleanupCommand(options, workDir, region?.region)}`;
  // From here on the run may create things: a stop signal ends in cleanup, or in the command that does it.
  let cleanedUp = false;
  const interruption = new Interruption(log, () => (cleanedUp ? "quitting: everything was cleaned up" : `quitting without cleaning up; ${leftBehind}`));
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  let running: RunningTarget | undefined;
  let exitCode = 0;
  try {
    running = aws ?? (await startLocalTarget(workDir, options.iamDelaySeconds));
    const settings = settingsFor(options, running, workDir, interruption.signal);
    const where = region
      ? `AWS ${region.region} (${region.source})${options.endpointUrl ? ` at ${options.endpointUrl}` : ""}`
      : `local AWS at ${running.target.endpoint}${running.reused ? ` (pid ${running.reused.pid}, already serving this state dir: used and left running)` : ""}${running.target.iamDelaySeconds ? `, IAM changes taking effect after ${running.target.iamDelaySeconds} s` : ""}`;
    log(`${where}, state in ${workDir}`);
    if (!aws && options.steps.length > 1) localPlan(options).forEach(log);

    const started = performance.now();
    try {
      const { results } = await runSteps(new FlowContext(settings), options.steps);
      cleanedUp = !options.keep && options.steps.includes("cleanup");
      const written = await writeResults(resolve(options.resultsDir), results);
      if (written.length) log(`results: ${written.join(", ")}`);
      log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      if (options.keep) log(`kept everything; ${leftBehind}`);
    } catch (error) {
      const interrupted = interruption.signal.aborted;
      exitCode = interruption.exitCode ?? 1;
      if (!interrupted) console.error(error instanceof JobOutcomeError ? error.message : `failed: ${describeError(error)}`);
      // A cleanup that ended incomplete has already tried everything once; running it again at once would not help.
      const cleanupRan = error instanceof CleanupIncompleteError || (options.steps.length === 1 && options.steps[0] === "cleanup");
      const cleanUpNow = !options.keep && !cleanupRan && (interrupted || options.steps.length > 1);
      cleanedUp = cleanUpNow && (await cleanUpAfter(interrupted ? "interrupted" : "after the failure", { ...settings, signal: undefined }));
      if (!cleanedUp) log(leftBehind);
    }
  } finally {
    await running?.stop();
    interruption.detach();
  }
  exitCode = interruption.exitCode ?? exitCode;
  if (temporary && cleanedUp) rmSync(workDir, { recursive: true, force: true });
  return exitCode;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n${USAGE}`);
    else if (error instanceof TargetError) console.error(error.message);
    else console.error(`failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
