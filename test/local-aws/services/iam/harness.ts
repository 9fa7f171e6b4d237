/** Calls IAM operations directly, as the server would, against an in-memory Store; records authorization checks. */
import { expect } from "vitest";
import { defaultConfig } from "../../../../lib/local-aws/config.ts";
import { AwsError, accessDenied } from "../../../../lib/local-aws/errors.ts";
import type { Principal } from "../../../../lib/local-aws/principal.ts";
import type { AuthorizationCheck, OperationContext } from "../../../../lib/local-aws/service.ts";
import { iamService } from "../../../../lib/local-aws/services/iam/index.ts";
import { bootstrapAccount, findAccessKey } from "../../../../lib/local-aws/services/iam/queries.ts";
import { Store } from "../../../../lib/local-aws/store/store.ts";

export const ACCOUNT = "111111111111";
export const OTHER_ACCOUNT = "222222222222";
export const START = new Date("2024-05-01T12:00:00.000Z");

export interface Harness {
  store: Store;
  ctx: OperationContext;
  /** The checks the last call made. */
  checks: AuthorizationCheck[];
  /** Runs an operation as the current principal; `input` leaves are strings, as awsQuery parses them. */
  call(operation: string, input?: Record<string, unknown>): any;
  /** Moves the clock on. */
  advance(ms: number): void;
  /** Makes the next calls as another principal. */
  actAs(principal: Principal): void;
  /** Denies the checks `deny` matches, as the policy engine would. */
  denyWhen(deny: (check: AuthorizationCheck) => boolean): void;
}

export function adminPrincipal(store: Store, accountId = ACCOUNT): Principal {
  const { accessKeyId } = bootstrapAccount(store, accountId, "admin", START);
  const key = findAccessKey(store, [accountId], accessKeyId, START)!;
  return { kind: "user", accountId, arn: key.userArn, userId: key.userId, userName: key.userName, accessKeyId };
}

export function rolePrincipal(accountId = ACCOUNT): Principal {
  return {
    kind: "assumed-role",
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/worker/session`,
    userId: "AROAEXAMPLEEXAMPLE12:session",
    accessKeyId: "ASIAEXAMPLEEXAMPLE12",
    roleName: "worker",
    roleArn: `arn:aws:iam::${accountId}:role/worker`,
    sessionName: "session",
  };
}

/** Calls made as the account's bootstrapped "admin" user (IAMFullAccess) until `actAs`. */
export function harness(store = new Store(undefined), accountId = ACCOUNT): Harness {
  let now = START.getTime();
  let principal = adminPrincipal(store, accountId);
  let deny: (check: AuthorizationCheck) => boolean = () => false;
  const checks: AuthorizationCheck[] = [];
  const ctx: OperationContext = {
    requestId: "test-request",
    region: "us-east-1",
    get principal() {
      return principal;
    },
    store,
    config: defaultConfig(),
    now: () => new Date(now),
    authorize(check) {
      checks.push(check);
      if (deny(check)) throw accessDenied(`User: ${principal.arn} is not authorized to perform: ${check.action} on resource: ${check.resource}`);
    },
  };
  return {
    store,
    ctx,
    checks,
    call(operation, input = {}) {
      checks.length = 0;
      const run = iamService.operations[operation];
      if (!run) throw new Error(`no operation ${operation}`);
      return run(ctx, input);
    },
    advance(ms) {
      now += ms;
    },
    actAs(next) {
      principal = next;
    },
    denyWhen(next) {
      deny = next;
    },
  };
}

/** Runs `fn` and returns the AwsError it throws, failing when it does not. */
export function awsErrorOf(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AwsError);
    return error as AwsError;
  }
  throw new Error("expected an AwsError, nothing was thrown");
}

export function expectAwsError(fn: () => unknown, code: string, message?: string | RegExp): AwsError {
  const error = awsErrorOf(fn);
  expect(error.code).toBe(code);
  if (typeof message === "string") expect(error.message).toBe(message);
  else if (message) expect(error.message).toMatch(message);
  return error;
}

export const arn = (type: string, pathAndName: string, accountId = ACCOUNT) => `arn:aws:iam::${accountId}:${type}/${pathAndName}`;

export const policyJson = (statement: object | object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statement });

export const ALLOW_S3_READ = policyJson([{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/*" }]);

export const TRUST_SAGEMAKER = policyJson([{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }]);
