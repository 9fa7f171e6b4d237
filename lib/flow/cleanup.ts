import { existsSync, rmSync } from "node:fs";
import { GetRoleCommand, GetUserCommand } from "@aws-sdk/client-iam";
import { describeError, isGone } from "./aws-errors.ts";
import { CleanupIncompleteError, CleanupReport, type CleanupAction } from "./cleanup-report.ts";
import { readProfileKey, removeProfile } from "./credentials-file.ts";
import { customerIamRemovals } from "./customer-iam.ts";
import type { FlowContext } from "./flow-context.ts";
import { recordedHosting, recordedJobs, recordedTransforms } from "./run-state.ts";
import { bucketPolicyRemoval, bucketRemoval, keysRemoval, prefixRemoval } from "./s3-cleanup.ts";
import { hostingRemovals, jobStop, transformJobStop } from "./sagemaker-cleanup.ts";
import { saasIamRemovals } from "./saas-iam.ts";
import type { Clients } from "./sessions.ts";

/** Who removes one account's resources: the run's own principal, or the account's configuration profile when that is gone. */
interface Agent {
  clients: Clients;
  /** Set when acting as the fallback profile, and said with each failure. */
  actingAs?: string;
}

/**
 * Opens the run's principal; when it cannot be had (the SaaS user deleted, the role gone, no
 * ExternalId), the account's configuration profile acts instead: on real AWS it often may, and
 * when it may not, each removal fails with AWS's reason rather than the whole cleanup stopping.
 */
async function agent(context: FlowContext, principal: string, open: () => Promise<Clients>, fallbackProfile: string): Promise<Agent> {
  try {
    return { clients: await open() };
  } catch (error) {
    context.settings.log(`  cannot act as ${principal} (${describeError(error)}): acting as profile ${fallbackProfile} instead`);
    return { clients: context.profileClients(fallbackProfile), actingAs: `profile ${fallbackProfile}` };
  }
}

/**
 * Fails when IAM says the entity is gone, so that a deleted user or role is known at once instead of
 * being retried as if IAM were settling; any other answer (a profile that may not look) lets the
 * principal be tried anyway.
 */
async function unlessGone(lookUp: () => Promise<unknown>): Promise<void> {
  await lookUp().catch((error: unknown) => {
    if (isGone(error)) throw error;
  });
}

/** The SaaS user, through its profile. */
async function openSaasUser(context: FlowContext): Promise<Clients> {
  await unlessGone(() => context.saasConfig().iam.send(new GetUserCommand({ UserName: context.names.user })));
  return context.saasUser();
}

/** The customer's role, as the SaaS user assumes it. */
async function openCustomerRole(context: FlowContext): Promise<Clients> {
  await unlessGone(() => context.saasConfig().iam.send(new GetUserCommand({ UserName: context.names.user })));
  await unlessGone(() => context.customerConfig().iam.send(new GetRoleCommand({ RoleName: context.names.role })));
  return context.asRole();
}

function actingAs(agentOf: Agent, actions: CleanupAction[]): CleanupAction[] {
  return agentOf.actingAs ? actions.map((action) => ({ ...action, actingAs: agentOf.actingAs })) : actions;
}

/**
 * The customer's side, as the role: jobs, transform jobs, hosting and the transform jobs' models, the
 * job's artifacts, the transform jobs' input and output, the data set, the bucket if this run made it.
 */
async function cleanUpCustomerResources(context: FlowContext, report: CleanupReport): Promise<boolean> {
  const state = context.state.read();
  const jobs = recordedJobs(state);
  const transforms = recordedTransforms(state);
  const hosting = [...recordedHosting(state), ...transforms.map(({ model }) => ({ model }))];
  const bucket = state.customerBucket;
  if (!jobs.length && !hosting.length && !(bucket && (state.customerKeys?.length || state.createdCustomerBucket))) return true;
  const role = await agent(context, `role ${context.names.role}`, () => openCustomerRole(context), context.names.customerProfile);
  const { sagemaker, s3 } = role.clients;
  const { jobPollMs, endpointWaitSeconds } = context.settings;
  // A stopping job ends in seconds to minutes: polled more often than one that trains.
  const stopPollMs = Math.min(jobPollMs, 5000);
  const stops = [...jobs.map((job) => jobStop(sagemaker, job.jobName, stopPollMs)), ...transforms.map((t) => transformJobStop(sagemaker, t.transformJob, stopPollMs))];
  let done = await report.runAll(actingAs(role, [...stops, ...hosting.flatMap((h) => hostingRemovals(sagemaker, h, endpointWaitSeconds))]));
  if (bucket) {
    const objects = [
      // A job stopped early may have written nothing there: not "already gone", just nothing to remove.
      ...jobs.flatMap((job) => (job.outputPrefix ? [{ ...prefixRemoval(s3, bucket, job.outputPrefix, `job ${job.jobName}'s artifacts`), ifPresent: true }] : [])),
      // A transform job stopped (or failed) early may have written no output either.
      ...transforms.map((t) => ({ ...prefixRemoval(s3, bucket, t.outputPrefix, `transform job ${t.transformJob}'s output`), ifPresent: true })),
      ...transforms.flatMap((t) => (t.inputKeys?.length ? [keysRemoval(s3, bucket, t.inputKeys, `transform job ${t.transformJob}'s input`)] : [])),
      ...(state.customerKeys?.length ? [keysRemoval(s3, bucket, state.customerKeys, "training data")] : []),
    ];
    const objectsGone = await report.runAll(actingAs(role, objects));
    const bucketDone = !state.createdCustomerBucket || (await report.runAll(actingAs(role, [bucketRemoval(s3, bucket, objectsGone)])));
    done = done && objectsGone && bucketDone;
  }
  if (done) {
    context.state.update({
      jobName: undefined,
      outputPrefix: undefined,
      earlierJobs: undefined,
      model: undefined,
      endpointConfig: undefined,
      endpoint: undefined,
      earlierHosting: undefined,
      customerKeys: undefined,
      createdCustomerBucket: undefined,
    });
  }
  return done;
}

/** The SaaS side, as its user: the bucket policy, the uploaded data set and test rows, and the bucket. */
async function cleanUpSaasResources(context: FlowContext, report: CleanupReport): Promise<boolean> {
  const state = context.state.read();
  const { saasBucket, saasKeys } = state;
  if (!saasBucket) return true;
  const user = await agent(context, `user ${context.names.user}`, () => openSaasUser(context), context.names.saasProfile);
  const { s3 } = user.clients;
  const inputs = recordedTransforms(state).flatMap((t) => (t.saasInputKeys?.length ? [keysRemoval(s3, saasBucket, t.saasInputKeys, `transform job ${t.transformJob}'s input`)] : []));
  const objects = [bucketPolicyRemoval(s3, saasBucket), ...inputs, ...(saasKeys?.length ? [keysRemoval(s3, saasBucket, saasKeys, "training data")] : [])];
  const objectsGone = await report.runAll(actingAs(user, objects));
  const done = (await report.runAll(actingAs(user, [bucketRemoval(s3, saasBucket, objectsGone)]))) && objectsGone;
  if (done) context.state.update({ saasBucket: undefined, saasKeys: undefined, saasBucketPolicy: undefined });
  return done;
}

/** The SaaS user's profile in the shared credentials file. */
function profileRemoval(context: FlowContext): CleanupAction {
  const { credentialsFile } = context.settings.target;
  const profile = context.names.userProfile;
  return {
    what: `profile [${profile}] in ${credentialsFile}`,
    run: async () => {
      const present = readProfileKey(credentialsFile, profile) !== undefined;
      removeProfile(credentialsFile, profile);
      return present ? "removed" : "already gone";
    },
  };
}

function dataFilesRemoval(context: FlowContext): CleanupAction {
  return {
    what: `the run's data files in ${context.dataDir}`,
    run: async () => {
      if (!existsSync(context.dataDir)) return "already gone";
      rmSync(context.dataDir, { recursive: true, force: true });
      return "removed";
    },
  };
}

/**
 * Removes what the run created, in reverse order, driven by the run-state file and the blog's names.
 * Every removal is independent: one that fails or finds its thing already gone does not stop the
 * others, and each is reported (removed, already gone, kept, or could not remove and why). IAM comes
 * last, since the removals before act through it. Safe to run any number of times; ends with
 * CleanupIncompleteError, naming what is left, if anything could not be removed (the run state is then
 * kept, so the next cleanup tries those again).
 */
export async function cleanUp(context: FlowContext): Promise<void> {
  const { names, settings } = context;
  const report = new CleanupReport(settings.log);
  const customerDone = await cleanUpCustomerResources(context, report);
  const saasDone = await cleanUpSaasResources(context, report);
  // A transform job's objects are on both sides: its record goes once both are gone.
  if (customerDone && saasDone) context.state.update({ transform: undefined, earlierTransforms: undefined });
  const accounts = () => context.accounts();
  const made = context.state.read().iam ?? {};
  await report.runAll(saasIamRemovals(context.saasConfig().iam, names, async () => (await accounts()).saas, profileRemoval(context), made.saas));
  await report.runAll(customerIamRemovals(context.customerConfig().iam, names, async () => (await accounts()).customer, made));
  await report.run({ ...dataFilesRemoval(context), ifPresent: true });
  settings.log(report.summary());
  if (report.failures.length > 0) {
    settings.log(`  kept the run state ${context.state.path} for the next cleanup`);
    throw new CleanupIncompleteError(report.failures);
  }
  rmSync(context.state.path, { force: true });
}
