import { createHash } from "node:crypto";
import type { PolicyDocument } from "../../auth/policy/types.ts";
import { AwsError } from "../../errors.ts";
import type { Store, StoreTable } from "../../store/store.ts";
import { storedDocument } from "../iam/documents.ts";

/** A bucket: its name is global, its owner one account. */
export interface BucketRecord {
  name: string;
  ownerAccount: string;
  region: string;
  createdAt: string;
  /** The bucket policy as submitted (JSON text). */
  policy?: string;
  /**
   * The bucket policy as S3 saved it, with the IAM users and roles it names by unique ID
   * (auth/principal-ids.ts): what authorization evaluates. Absent for a policy saved without
   * (the sample bucket's, which names everyone, and those in state written before principals were
   * saved by ID): then `policy` is evaluated as written.
   */
  policyWithIds?: PolicyDocument;
}

interface S3AccountState {
  buckets: BucketRecord[];
}

const bucketTable = (store: Store): StoreTable<S3AccountState> => store.table<S3AccountState>("s3", () => ({ buckets: [] }));

/** Bucket name → owning account, across every account (bucket names are global). */
const ownersByStore = new WeakMap<Store, Map<string, string>>();

function owners(store: Store): Map<string, string> {
  let index = ownersByStore.get(store);
  if (!index) {
    index = new Map();
    const table = bucketTable(store);
    for (const account of table.accounts()) for (const bucket of table.read(account).buckets) index.set(bucket.name, account);
    ownersByStore.set(store, index);
  }
  return index;
}

export function findBucket(store: Store, name: string): BucketRecord | undefined {
  const owner = owners(store).get(name);
  return owner === undefined ? undefined : bucketTable(store).read(owner).buckets.find((bucket) => bucket.name === name);
}

export function requireBucket(store: Store, name: string): BucketRecord {
  const bucket = findBucket(store, name);
  if (!bucket) throw new AwsError("NoSuchBucket", "The specified bucket does not exist", 404);
  return bucket;
}

export function bucketsOwnedBy(store: Store, accountId: string): readonly BucketRecord[] {
  return bucketTable(store).read(accountId).buckets;
}

export function addBucket(store: Store, bucket: BucketRecord): void {
  bucketTable(store).update(bucket.ownerAccount, (state) => void state.buckets.push(bucket));
  owners(store).set(bucket.name, bucket.ownerAccount);
}

export function removeBucket(store: Store, bucket: BucketRecord): void {
  bucketTable(store).update(bucket.ownerAccount, (state) => {
    state.buckets = state.buckets.filter((candidate) => candidate.name !== bucket.name);
  });
  owners(store).delete(bucket.name);
}

/** Sets the bucket policy (as submitted, and as saved with principal IDs), or removes it. */
export function setBucketPolicy(store: Store, bucket: BucketRecord, policy: string | undefined, withIds?: PolicyDocument): void {
  bucketTable(store).update(bucket.ownerAccount, (state) => {
    const record = state.buckets.find((candidate) => candidate.name === bucket.name);
    if (!record) throw new AwsError("NoSuchBucket", "The specified bucket does not exist", 404);
    if (policy === undefined) delete record.policy;
    else record.policy = policy;
    if (withIds === undefined) delete record.policyWithIds;
    else record.policyWithIds = withIds;
  });
}

/** The bucket policy authorization evaluates. */
export function bucketPolicyDocument(bucket: BucketRecord): PolicyDocument | undefined {
  if (bucket.policyWithIds) return bucket.policyWithIds;
  return bucket.policy === undefined ? undefined : storedDocument(bucket.policy);
}

/** S3's canonical user id for an account: 64 hex characters, stable. */
export function canonicalUserId(accountId: string): string {
  return createHash("sha256").update(`local-aws-canonical-${accountId}`).digest("hex");
}
