import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { JobOutcomeError } from "./flow/automl-job.ts";
import { describeError } from "./flow/aws-errors.ts";
import { CleanupIncompleteError } from "./flow/cleanup-report.ts";
import { runCharts, writeCharts } from "./flow/charts.ts";
import { parseCliOptions, UsageError, USAGE, type CliOptions } from "./flow/cli-options.ts";
import { FlowContext, flowSettings, type FlowSettings } from "./flow/flow-context.ts";
import { BLOG_NAMES } from "./flow/names.ts";
import { checkConfigurationProfiles } from "./flow/profile-check.ts";
import { awsPlan } from "./flow/report.ts";
import { runSteps } from "./flow/steps.ts";
import { resolveRegion } from "./flow/region.ts";
import { awsTarget, sharedFiles, startLocalTarget, TargetError, type RunningTarget } from "./flow/targets.ts";

// `npm start`: the blog's cross-account flow end to end, on the local two-account AWS unless --target aws.

const log = (line: string) => console.log(line);

function settingsFor(options: CliOptions, running: RunningTarget, workDir: string, signal: AbortSignal): FlowSettings {
  const { dataPath, maxCandidates, mode, candidate, leastPrivilege } = options;
  return flowSettings(running.target, { dataPath, maxCandidates, mode, ...(candidate !== undefined && { candidate }), leastPrivilege, workDir, log, signal });
}

function cleanupHint(options: CliOptions, workDir: string): string {
  return `state in ${workDir}; clean up with: npm start -- --state-dir ${workDir}${options.target === "aws" ? " --target aws --yes" : ""} --step cleanup`;
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
  if (argv.includes("--help") || argv.includes("-h")) {
    log(USAGE);
    return 0;
  }
  const options = parseCliOptions(argv);
  const region = options.target === "aws" ? resolveRegion({ ...(options.region && { explicit: options.region }), profile: BLOG_NAMES.customerProfile, configFile: sharedFiles().configFile }) : undefined;
  // Real AWS: no endpoint override from the environment, and both profiles authenticate, before anything is made.
  const aws = region ? awsTarget(region.region, options.endpointUrl ? { endpoint: options.endpointUrl } : {}) : undefined;
  if (aws && region && !options.yes) {
    log(`region ${region.region} (${region.source})`);
    awsPlan(BLOG_NAMES, { ...options, region: region.region }).forEach(log);
    log("Run again with --yes to go ahead.");
    return 0;
  }
  if (aws) (await checkConfigurationProfiles(aws.target, BLOG_NAMES)).forEach(log);
  const temporary = options.target === "local" && !options.stateDir;
  const workDir = resolve(options.stateDir ?? (temporary ? mkdtempSync(resolve(tmpdir(), "autopilot-run-")) : ".autopilot-run"));
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  const running = aws ?? (await startLocalTarget(workDir, options.iamDelaySeconds));
  const interruption = new AbortController();
  const settings = settingsFor(options, running, workDir, interruption.signal);
  const where = region
    ? `AWS ${region.region} (${region.source})${options.endpointUrl ? ` at ${options.endpointUrl}` : ""}`
    : `local AWS at ${running.target.endpoint}${running.reused ? ` (pid ${running.reused.pid}, already serving this state dir: used and left running)` : ""}${running.target.iamDelaySeconds ? `, IAM changes taking effect after ${running.target.iamDelaySeconds} s` : ""}`;
  log(`${where}, state in ${workDir}`);

  // The first Ctrl-C stops the run at its next step or wait, which then cleans up below; a second one exits at once.
  const onSigint = () => {
    if (interruption.signal.aborted) process.exit(130);
    log("interrupted: stopping (Ctrl-C again to quit without cleaning up)");
    interruption.abort();
  };
  process.on("SIGINT", onSigint);

  let exitCode = 0;
  let leftNothing = !options.keep && options.steps.includes("cleanup");
  const started = performance.now();
  try {
    const { results } = await runSteps(new FlowContext(settings), options.steps);
    if (results.evaluation) {
      const charts = writeCharts(resolve(options.resultsDir), await runCharts(results.evaluation, results.featureImportance));
      log(`charts: ${charts.join(", ")}`);
    }
    log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    if (options.keep) log(`kept everything; ${cleanupHint(options, workDir)}`);
  } catch (error) {
    const interrupted = interruption.signal.aborted;
    exitCode = interrupted ? 130 : 1;
    if (!interrupted) console.error(error instanceof JobOutcomeError ? error.message : `failed: ${describeError(error)}`);
    // A cleanup that ended incomplete has already tried everything once; running it again at once would not help.
    const cleanupRan = error instanceof CleanupIncompleteError || (options.steps.length === 1 && options.steps[0] === "cleanup");
    leftNothing = !options.keep && !cleanupRan && (interrupted || options.steps.length > 1);
    if (leftNothing) leftNothing = await cleanUpAfter(interrupted ? "interrupted" : "after the failure", { ...settings, signal: undefined });
    if (!leftNothing) {
      log(cleanupHint(options, workDir));
    }
  } finally {
    process.off("SIGINT", onSigint);
    await running.stop();
  }
  if (temporary && leftNothing) rmSync(workDir, { recursive: true, force: true });
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
