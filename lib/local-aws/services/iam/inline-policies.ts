/** Put/Get/Delete/List{User,Group,Role}Policies: policies embedded in users, groups and roles. */
import { policySize } from "../../auth/policy/index.ts";
import { limitExceeded, noSuchEntity } from "../../errors.ts";
import type { Operation, OperationInput } from "../../service.ts";
import { encodeDocument, validatedDocument } from "./documents.ts";
import { readHolderName, requireHolder, type HolderKind } from "./holders.ts";
import { readIam, updateIam, type InlinePolicy, type PolicyHolder } from "./model.ts";
import { listResult } from "./pagination.ts";
import { POLICY_DOCUMENT, POLICY_NAME, requiredText } from "./validation.ts";

const readPolicyName = (input: OperationInput) => requiredText(input, "PolicyName", POLICY_NAME);

export function inlinePolicyOperations<R extends PolicyHolder>(kind: HolderKind<R>): Record<string, Operation> {
  const { noun } = kind;
  const noSuchPolicy = (policyName: string) => noSuchEntity(`The ${kind.resourceType} policy with name ${policyName} cannot be found.`);
  const find = (holder: PolicyHolder, policyName: string): InlinePolicy | undefined =>
    holder.inlinePolicies.find((policy) => policy.policyName === policyName);

  const put: Operation = (ctx, input) => {
    const name = readHolderName(input, kind);
    const policyName = readPolicyName(input);
    const text = requiredText(input, "PolicyDocument", POLICY_DOCUMENT);
    updateIam(ctx, (state) => {
      const holder = requireHolder(ctx, state, kind, name, `iam:Put${noun}Policy`);
      const document = validatedDocument(text, "identity").json;
      const others = holder.inlinePolicies.filter((policy) => policy.policyName !== policyName);
      const totalSize = others.reduce((sum, policy) => sum + policySize(policy.document), policySize(document));
      if (totalSize > kind.inlinePolicySizeLimit) {
        throw limitExceeded(`Maximum policy size of ${kind.inlinePolicySizeLimit} bytes exceeded for ${kind.resourceType} ${kind.nameOf(holder)}`);
      }
      const existing = find(holder, policyName);
      if (existing) existing.document = document;
      else holder.inlinePolicies.push({ policyName, document });
    });
  };

  const get: Operation = (ctx, input) => {
    const name = readHolderName(input, kind);
    const policyName = readPolicyName(input);
    const holder = requireHolder(ctx, readIam(ctx), kind, name, `iam:Get${noun}Policy`);
    const policy = find(holder, policyName);
    if (!policy) throw noSuchPolicy(policyName);
    return { [kind.nameParam]: kind.nameOf(holder), PolicyName: policy.policyName, PolicyDocument: encodeDocument(policy.document) };
  };

  const remove: Operation = (ctx, input) => {
    const name = readHolderName(input, kind);
    const policyName = readPolicyName(input);
    updateIam(ctx, (state) => {
      const holder = requireHolder(ctx, state, kind, name, `iam:Delete${noun}Policy`);
      if (!find(holder, policyName)) throw noSuchPolicy(policyName);
      holder.inlinePolicies = holder.inlinePolicies.filter((policy) => policy.policyName !== policyName);
    });
  };

  const list: Operation = (ctx, input) => {
    const name = readHolderName(input, kind);
    const holder = requireHolder(ctx, readIam(ctx), kind, name, `iam:List${noun}Policies`);
    const names = holder.inlinePolicies.map((policy) => policy.policyName).sort();
    return listResult("PolicyNames", names, input, (policyName) => policyName);
  };

  return {
    [`Put${noun}Policy`]: put,
    [`Get${noun}Policy`]: get,
    [`Delete${noun}Policy`]: remove,
    [`List${noun}Policies`]: list,
  };
}
