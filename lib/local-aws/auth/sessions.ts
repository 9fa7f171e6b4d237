import type { PolicyDocument } from "./policy/types.ts";
import type { RecordCollection, Store } from "../store/store.ts";
import { awsId, newSecretAccessKey, newSessionToken } from "./credentials.ts";

/** Temporary credentials of an assumed-role session. */
export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  accountId: string;
  roleArn: string;
  roleName: string;
  roleId: string;
  sessionName: string;
  issuedAt: string;
  expiresAt: string;
  /** Assumed with other role-session credentials: AWS caps these at one hour. */
  roleChained: boolean;
  sessionPolicy?: PolicyDocument;
  sourceIdentity?: string;
}


/** Expired sessions are kept this long so their use answers ExpiredToken rather than an unknown key. */
const EXPIRED_SESSION_RETENTION_MS = 24 * 3600 * 1000;

const sessions = (store: Store): RecordCollection<SessionRecord> => store.collection<SessionRecord>("sts-sessions");

export type NewSession = Omit<SessionRecord, "accessKeyId" | "secretAccessKey" | "sessionToken" | "issuedAt" | "expiresAt">;

export function issueSession(store: Store, session: NewSession, now: Date, durationSeconds: number): SessionRecord {
  const record: SessionRecord = {
    ...session,
    accessKeyId: awsId("ASIA"),
    secretAccessKey: newSecretAccessKey(),
    sessionToken: newSessionToken(),
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + durationSeconds * 1000).toISOString(),
  };
  const collection = sessions(store);
  for (const [key, old] of collection.entries(session.accountId)) {
    if (Date.parse(old.expiresAt) + EXPIRED_SESSION_RETENTION_MS < now.getTime()) collection.delete(session.accountId, key);
  }
  collection.put(session.accountId, record.accessKeyId, record);
  return record;
}

export function findSession(store: Store, accountIds: readonly string[], accessKeyId: string): SessionRecord | undefined {
  const collection = sessions(store);
  for (const accountId of accountIds) {
    const session = collection.get(accountId, accessKeyId);
    if (session) return session;
  }
  return undefined;
}
