import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { JobOutcomeError } from "./flow/automl-job.ts";
import { runCharts, writeCharts } from "./flow/charts.ts";
import { parseCliOptions, UsageError, USAGE, type CliOptions } from "./flow/cli-options.ts";
import { FlowContext, flowSettings, type FlowSettings } from "./flow/flow-context.ts";
import { BLOG_NAMES } from "./flow/names.ts";
import { awsPlan } from "./flow/report.ts";
import { runSteps } from "./flow/steps.ts";
import { awsTarget, startLocalTarget, type RunningTarget } from "./flow/targets.ts";

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
  if (options.target === "aws" && !options.yes) {
    awsPlan(BLOG_NAMES, options).forEach(log);
    log("Run again with --yes to go ahead.");
    return 0;
  }
  const temporary = options.target === "local" && !options.stateDir;
  const workDir = resolve(options.stateDir ?? (temporary ? mkdtempSync(resolve(tmpdir(), "autopilot-run-")) : ".autopilot-run"));
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  const running = options.target === "local" ? await startLocalTarget(workDir) : awsTarget(options.region);
  const interruption = new AbortController();
  const settings = settingsFor(options, running, workDir, interruption.signal);
  log(`${options.target === "local" ? `local AWS at ${running.target.endpoint}` : `AWS ${options.region}`}, state in ${workDir}`);

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
    if (!interrupted) console.error(error instanceof JobOutcomeError ? error.message : `failed: ${(error as Error).message}`);
    const onlyCleanup = options.steps.length === 1 && options.steps[0] === "cleanup";
    leftNothing = !options.keep && !onlyCleanup && (interrupted || options.steps.length > 1);
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
    console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : `failed: ${(error as Error).stack ?? String(error)}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
