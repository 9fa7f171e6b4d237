import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  ListPolicyVersionsCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { createIfMissing } from "./aws-errors.ts";
import type { PolicyDocument } from "./policies.ts";

async function deleteOldVersions(iam: IAMClient, arn: string): Promise<void> {
  const { Versions = [] } = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
  for (const version of Versions.filter((v) => !v.IsDefaultVersion)) {
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: version.VersionId }));
  }
}

/** Creates a customer managed policy, or makes `document` its default version when it exists. */
export async function putManagedPolicy(iam: IAMClient, arn: string, name: string, document: PolicyDocument): Promise<void> {
  const text = JSON.stringify(document);
  if (await createIfMissing(() => iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: text })))) return;
  await deleteOldVersions(iam, arn);
  await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: text, SetAsDefault: true }));
}

/** Deletes a managed policy (its versions first, as IAM requires); IAM's NoSuchEntity when it is already gone. */
export async function deleteManagedPolicy(iam: IAMClient, arn: string): Promise<void> {
  await deleteOldVersions(iam, arn);
  await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
}
