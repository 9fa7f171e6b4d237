import {
  AddUserToGroupCommand,
  AttachRolePolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  PutGroupPolicyCommand,
} from "@aws-sdk/client-iam";
import { CUSTOMER_ACCOUNT_ID, SAAS_ACCOUNT_ID } from "../../lib/local-aws/index.ts";
import { clientsFor, type Credentials, type TestAws } from "./local-aws.ts";

export const ROLE_NAME = "customer_trusting_saas";
export const ROLE_ARN = `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/${ROLE_NAME}`;
export const EXTERNAL_ID = "ext-7f3a9c2e";

export interface CrossAccountSetup {
  saasUser: Credentials;
  /** A SaaS user that is not in the AutopilotUsers group. */
  outsider: Credentials;
}

/** The blog's IAM setup in both accounts: a role trusting the SaaS account with an ExternalId, and a SaaS user allowed to assume it through its group. */
export async function setUpCrossAccount(aws: TestAws, maxSessionDuration = 43200): Promise<CrossAccountSetup> {
  const customer = clientsFor(aws, aws.customer).iam;
  await customer.send(
    new CreateRoleCommand({
      RoleName: ROLE_NAME,
      MaxSessionDuration: maxSessionDuration,
      AssumeRolePolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${SAAS_ACCOUNT_ID}:root` },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "sts:ExternalId": EXTERNAL_ID } },
          },
          { Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
    }),
  );
  await customer.send(new AttachRolePolicyCommand({ RoleName: ROLE_NAME, PolicyArn: "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess" }));

  const saas = clientsFor(aws, aws.saas).iam;
  await saas.send(new CreateGroupCommand({ GroupName: "AutopilotUsers" }));
  await saas.send(
    new PutGroupPolicyCommand({
      GroupName: "AutopilotUsers",
      PolicyName: "saas_assume_customer_role",
      PolicyDocument: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: ROLE_ARN }],
      }),
    }),
  );
  const saasUser = await createUserWithKey(aws, "saas_user");
  await saas.send(new AddUserToGroupCommand({ GroupName: "AutopilotUsers", UserName: "saas_user" }));
  const outsider = await createUserWithKey(aws, "outsider");
  return { saasUser, outsider };
}

export async function createUserWithKey(aws: TestAws, userName: string, credentials: Credentials = aws.saas): Promise<Credentials> {
  const iam = clientsFor(aws, credentials).iam;
  await iam.send(new CreateUserCommand({ UserName: userName }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  return { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
}
