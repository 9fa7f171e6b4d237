import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { createIfMissing } from "./aws-errors.ts";
import { removing, type CleanupAction } from "./cleanup-report.ts";
import { deleteManagedPolicy, putManagedPolicy } from "./iam-policies.ts";
import { defaultBucket, policyArn, roleArn, saasBucket, transformJobArn, type FlowNames } from "./names.ts";
import { crossAccountRolePolicy, crossAccountTrustPolicy, customerS3Policy, executionTrustPolicy, trustPolicy, type PolicyDocument } from "./policies.ts";

export const SAGEMAKER_FULL_ACCESS = "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess";
/** Twelve hours, IAM's maximum: one AssumeRole session covers most jobs between refreshes. */
export const MAX_SESSION_SECONDS = 43_200;

export interface CustomerIamInput {
  names: FlowNames;
  region: string;
  customerAccountId: string;
  saasAccountId: string;
  externalId: string;
  /** The blog's recommendation: SageMaker runs as a separate execution role; the cross-account role gets only what it uses. */
  leastPrivilege: boolean;
}

export interface CustomerRoles {
  /** What the SaaS user assumes. */
  roleArn: string;
  /** What the job and the model run as (the same role unless least-privilege). */
  executionRoleArn: string;
}

/** Creates the role or brings an existing one up to date, then attaches the policies. */
async function putRole(iam: IAMClient, name: string, trust: PolicyDocument, policyArns: string[]): Promise<void> {
  const document = JSON.stringify(trust);
  const created = await createIfMissing(() => iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: document, MaxSessionDuration: MAX_SESSION_SECONDS })));
  if (!created) {
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: document }));
    await iam.send(new UpdateRoleCommand({ RoleName: name, MaxSessionDuration: MAX_SESSION_SECONDS }));
  }
  for (const arn of policyArns) await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: arn }));
}

/** The customer's side: `customer_s3` and the role trusting the SaaS account (plus the execution role if least-privilege). Re-running updates what exists. */
export async function setUpCustomerIam(iam: IAMClient, input: CustomerIamInput): Promise<CustomerRoles> {
  const { names, customerAccountId } = input;
  const buckets = { saas: saasBucket(input.region, input.saasAccountId), customer: defaultBucket(input.region, customerAccountId) };
  const s3PolicyArn = policyArn(customerAccountId, names.customerPolicy);
  await putManagedPolicy(iam, s3PolicyArn, names.customerPolicy, customerS3Policy(buckets.saas, buckets.customer));
  const crossAccountRoleArn = roleArn(customerAccountId, names.role);
  if (!input.leastPrivilege) {
    await putRole(iam, names.role, trustPolicy(input.saasAccountId, input.externalId), [SAGEMAKER_FULL_ACCESS, s3PolicyArn]);
    return { roleArn: crossAccountRoleArn, executionRoleArn: crossAccountRoleArn };
  }
  const executionRoleArn = roleArn(customerAccountId, names.executionRole);
  await putRole(iam, names.executionRole, executionTrustPolicy(), [SAGEMAKER_FULL_ACCESS, s3PolicyArn]);
  const accessPolicyArn = policyArn(customerAccountId, names.crossAccountPolicy);
  await putManagedPolicy(iam, accessPolicyArn, names.crossAccountPolicy, crossAccountRolePolicy(executionRoleArn, buckets.customer, buckets.saas, transformJobArn(input.region, customerAccountId, "*")));
  await putRole(iam, names.role, crossAccountTrustPolicy(input.saasAccountId, input.externalId), [accessPolicyArn]);
  return { roleArn: crossAccountRoleArn, executionRoleArn };
}

/** The role: its attached and inline policies, then the role itself. */
async function deleteRole(iam: IAMClient, name: string): Promise<void> {
  const { AttachedPolicies = [] } = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }));
  for (const policy of AttachedPolicies) await iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: policy.PolicyArn }));
  const { PolicyNames = [] } = await iam.send(new ListRolePoliciesCommand({ RoleName: name }));
  for (const policyName of PolicyNames) await iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName }));
  await iam.send(new DeleteRoleCommand({ RoleName: name }));
}

/**
 * The customer side's IAM as cleanup actions, each independent: the roles of either variant, then
 * the customer policies. What `made` does not record (the least-privilege role and policy of a run
 * without --least-privilege) is removed only if it is there.
 */
export function customerIamRemovals(iam: IAMClient, names: FlowNames, customerAccountId: () => Promise<string>, made: { customer?: boolean; leastPrivilege?: boolean } = {}): CleanupAction[] {
  const role = (name: string, recorded?: boolean): CleanupAction => ({ what: `role ${name}`, run: removing(() => deleteRole(iam, name)), ifPresent: !recorded });
  const policy = (name: string, recorded?: boolean): CleanupAction => ({
    what: `policy ${name}`,
    run: removing(async () => deleteManagedPolicy(iam, policyArn(await customerAccountId(), name))),
    ifPresent: !recorded,
  });
  return [role(names.role, made.customer), role(names.executionRole, made.leastPrivilege), policy(names.crossAccountPolicy, made.leastPrivilege), policy(names.customerPolicy, made.customer)];
}
