import type { PolicyDocument } from "./auth/policy/types.ts";

/** The caller of a request: authenticated, or (S3 only) anonymous. */
export interface Principal {
  kind: "user" | "assumed-role" | "anonymous";
  /** The caller's account; empty for the anonymous principal, which has none. */
  accountId: string;
  /** User ARN, or the session ARN arn:aws:sts::ACCT:assumed-role/ROLE/SESSION; "anonymous" for unsigned requests. */
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

/**
 * Who sends an unsigned S3 request: AWS evaluates it as the anonymous principal, which only a
 * resource policy naming everyone (`"Principal": "*"`) can grant
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html#example-bucket-policies-anonymous-user).
 */
export const ANONYMOUS: Principal = { kind: "anonymous", accountId: "", arn: "anonymous", userId: "anonymous", accessKeyId: "" };
