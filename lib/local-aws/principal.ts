import type { PolicyDocument } from "./auth/policy/types.ts";

/** The authenticated caller of a request. */
export interface Principal {
  kind: "user" | "assumed-role";
  accountId: string;
  /** User ARN, or the session ARN arn:aws:sts::ACCT:assumed-role/ROLE/SESSION. */
  arn: string;
  /** AIDA... for users; "AROA...:session" for assumed-role sessions (what GetCallerIdentity returns). */
  userId: string;
  accessKeyId: string;
  userName?: string;
  /** For sessions: the role and session they belong to. */
  roleName?: string;
  roleArn?: string;
  roleId?: string;
  sessionName?: string;
  /** For sessions: when they were issued and stop working, and whether they came from role chaining. */
  issuedAt?: string;
  expiresAt?: string;
  roleChained?: boolean;
  /** For sessions assumed with a Policy: it limits what the session may do. */
  sessionPolicy?: PolicyDocument;
  /** Whether the request was signed with a session token (aws:MultiFactorAuthPresent etc. derive from it). */
  sessionToken?: string;
}
