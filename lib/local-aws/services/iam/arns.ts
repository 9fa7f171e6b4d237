/** IAM ARNs: arn:aws:iam::ACCOUNT:TYPE/PATH/NAME, paths included as AWS does. */

export type IamResourceType = "user" | "group" | "role" | "policy";

/** The account field of AWS managed policy ARNs. */
export const AWS_MANAGED_ACCOUNT = "aws";

/** `path` begins and ends with "/" ("/" alone for the root path). */
export const iamArn = (accountId: string, type: IamResourceType, path: string, name: string): string =>
  `arn:aws:iam::${accountId}:${type}${path}${name}`;

const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy(\/|\/[\x21-\x7e]*\/)([\w+=,.@-]+)$/;
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role(\/|\/[\x21-\x7e]*\/)([\w+=,.@-]+)$/;

export interface ParsedIamArn {
  accountId: string;
  path: string;
  name: string;
}

function parse(pattern: RegExp, arn: string): ParsedIamArn | undefined {
  const match = pattern.exec(arn);
  return match ? { accountId: match[1]!, path: match[2]!, name: match[3]! } : undefined;
}

export const parsePolicyArn = (arn: string): ParsedIamArn | undefined => parse(POLICY_ARN, arn);

export const parseRoleArn = (arn: string): ParsedIamArn | undefined => parse(ROLE_ARN, arn);
