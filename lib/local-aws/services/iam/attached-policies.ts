/** Attach/Detach/ListAttached{User,Group,Role}Policies: managed policies attached to users, groups and roles. */
import { limitExceeded, noSuchEntity } from "../../errors.ts";
import type { Operation } from "../../service.ts";
import { readHolderName, requireHolder, type HolderKind } from "./holders.ts";
import { readIam, updateIam, type ManagedPolicyRecord, type PolicyHolder } from "./model.ts";
import { listResult } from "./pagination.ts";
import { findManagedPolicy } from "./policy-records.ts";
import { readPathPrefix, readPolicyArn } from "./validation.ts";

/** AWS's default quota of managed policies per user, group or role. */
const MANAGED_POLICIES_PER_HOLDER = 10;

export function attachedPolicyOperations<R extends PolicyHolder>(kind: HolderKind<R>): Record<string, Operation> {
  const { noun } = kind;

  const attach: Operation = (ctx, input) => {
    const name = readHolderName(input, kind);
    const policyArn = readPolicyArn(input);
    updateIam(ctx, (state) => {
      const holder = requireHolder(ctx, state, kind, name, `iam:Attach${noun}Policy`, { "iam:PolicyARN": policyArn });
      const policy = findManagedPolicy(state, ctx.principal.accountId, policyArn);
      if (!policy) throw noSuchEntity(`Policy ${policyArn} does not exist or is not attachable.`);
      if (holder.attachedPolicyArns.includes(policy.arn)) return;
      if (holder.attachedPolicyArns.length >= MANAGED_POLICIES_PER_HOLDER) {
        throw limitExceeded(`Cannot exceed quota for PoliciesPer${noun}: ${MANAGED_POLICIES_PER_HOLDER}`);
      }
      holder.attachedPolicyArns.push(policy.arn);
    });
  };

  const detach: Operation = (ctx, input) => {
    const name = readHolderName(input, kind);
    const policyArn = readPolicyArn(input);
    updateIam(ctx, (state) => {
      const holder = requireHolder(ctx, state, kind, name, `iam:Detach${noun}Policy`, { "iam:PolicyARN": policyArn });
      const attachedArn = findManagedPolicy(state, ctx.principal.accountId, policyArn)?.arn;
      if (attachedArn === undefined || !holder.attachedPolicyArns.includes(attachedArn)) throw noSuchEntity(`Policy ${policyArn} was not found.`);
      holder.attachedPolicyArns = holder.attachedPolicyArns.filter((arn) => arn !== attachedArn);
    });
  };

  const listAttached: Operation = (ctx, input) => {
    const name = readHolderName(input, kind);
    const pathPrefix = readPathPrefix(input);
    const state = readIam(ctx);
    const holder = requireHolder(ctx, state, kind, name, `iam:ListAttached${noun}Policies`);
    const policies = holder.attachedPolicyArns
      .map((arn) => findManagedPolicy(state, ctx.principal.accountId, arn))
      .filter((policy): policy is ManagedPolicyRecord => policy !== undefined && policy.path.startsWith(pathPrefix));
    return listResult("AttachedPolicies", policies, input, (policy) => ({ PolicyName: policy.policyName, PolicyArn: policy.arn }));
  };

  return {
    [`Attach${noun}Policy`]: attach,
    [`Detach${noun}Policy`]: detach,
    [`ListAttached${noun}Policies`]: listAttached,
  };
}
