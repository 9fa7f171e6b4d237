import { describe, expect, it } from "vitest";
import { exemptedByNotPrincipal, isAccountRoot, matchPrincipal } from "../../../../lib/local-aws/auth/policy/principals.ts";
import { DEV, PROD, root, service, session, user } from "./fixtures.ts";

const alice = user("alice");
const trainer = session("Trainer", "job-42", DEV, "/ml/");

describe("matchPrincipal", () => {
  it("matches everyone, service principals included, with \"*\" and with {AWS: \"*\"}", () => {
    expect(matchPrincipal("*", alice)).toBe("direct");
    expect(matchPrincipal("*", service("sagemaker.amazonaws.com"))).toBe("direct");
    expect(matchPrincipal({ AWS: "*" }, alice)).toBe("direct");
    expect(matchPrincipal({ AWS: [DEV, "*"] }, alice)).toBe("direct");
    expect(matchPrincipal({ AWS: "*" }, service("sagemaker.amazonaws.com"))).toBe("direct");
  });

  it("matches the caller's account, by id or root ARN, only at account level", () => {
    expect(matchPrincipal({ AWS: DEV }, alice)).toBe("account");
    expect(matchPrincipal({ AWS: `arn:aws:iam::${DEV}:root` }, alice)).toBe("account");
    expect(matchPrincipal({ AWS: PROD }, alice)).toBe("none");
    expect(matchPrincipal({ AWS: `arn:aws:iam::${PROD}:root` }, trainer)).toBe("none");
  });

  it("matches the root user itself directly by its ARN", () => {
    expect(matchPrincipal({ AWS: `arn:aws:iam::${DEV}:root` }, root())).toBe("direct");
    expect(isAccountRoot(root())).toBe(true);
    expect(isAccountRoot(alice)).toBe(false);
  });

  it("matches user ARNs directly, ignoring case as IAM names do", () => {
    expect(matchPrincipal({ AWS: alice.arn }, alice)).toBe("direct");
    expect(matchPrincipal({ AWS: `arn:aws:iam::${DEV}:user/ALICE` }, alice)).toBe("direct");
    expect(matchPrincipal({ AWS: `arn:aws:iam::${DEV}:user/bob` }, alice)).toBe("none");
  });

  it("matches a role ARN for every session of the role", () => {
    expect(matchPrincipal({ AWS: `arn:aws:iam::${DEV}:role/ml/Trainer` }, trainer)).toBe("direct");
    expect(matchPrincipal({ AWS: `arn:aws:iam::${DEV}:role/Trainer` }, trainer)).toBe("none");
    expect(matchPrincipal({ AWS: `arn:aws:iam::${PROD}:role/ml/Trainer` }, trainer)).toBe("none");
  });

  it("falls back to the role name in the session ARN when roleArn is not given", () => {
    const { roleArn: _omitted, ...withoutRoleArn } = trainer;
    expect(matchPrincipal({ AWS: `arn:aws:iam::${DEV}:role/any/path/Trainer` }, withoutRoleArn)).toBe("direct");
    expect(matchPrincipal({ AWS: `arn:aws:iam::${PROD}:role/Trainer` }, withoutRoleArn)).toBe("none");
  });

  it("matches a session ARN only for that session", () => {
    expect(matchPrincipal({ AWS: trainer.arn }, trainer)).toBe("direct");
    expect(matchPrincipal({ AWS: `arn:aws:sts::${DEV}:assumed-role/Trainer/other` }, trainer)).toBe("none");
  });

  it("prefers a direct match over an account match among several values", () => {
    expect(matchPrincipal({ AWS: [DEV, alice.arn] }, alice)).toBe("direct");
    expect(matchPrincipal({ AWS: [PROD, DEV] }, alice)).toBe("account");
  });

  it("matches service principals only against Service values", () => {
    const sagemaker = service("sagemaker.amazonaws.com");
    expect(matchPrincipal({ Service: "sagemaker.amazonaws.com" }, sagemaker)).toBe("direct");
    expect(matchPrincipal({ Service: ["ec2.amazonaws.com", "sagemaker.amazonaws.com"] }, sagemaker)).toBe("direct");
    expect(matchPrincipal({ Service: "ec2.amazonaws.com" }, sagemaker)).toBe("none");
    expect(matchPrincipal({ Service: "sagemaker.amazonaws.com" }, alice)).toBe("none");
  });

  it("does not treat partial wildcards in principal ARNs as wildcards (AWS rejects them)", () => {
    expect(matchPrincipal({ AWS: `arn:aws:iam::${DEV}:user/*` }, alice)).toBe("none");
  });

  it("never matches Federated or CanonicalUser principals", () => {
    expect(matchPrincipal({ Federated: "cognito-identity.amazonaws.com", CanonicalUser: "abc" }, alice)).toBe("none");
  });
});

// AWS: "When you use NotPrincipal, you must also specify the account ARN of the not-denied principal";
// for an assumed role it checks the account, then the role, then the session. iam-simulate exempts a
// caller as soon as any one of them is listed; this engine follows AWS's documentation.
describe("exemptedByNotPrincipal", () => {
  const account = `arn:aws:iam::${DEV}:root`;

  it("exempts a user only when both the user and its account are listed", () => {
    expect(exemptedByNotPrincipal({ AWS: [alice.arn, account] }, alice)).toBe(true);
    expect(exemptedByNotPrincipal({ AWS: [alice.arn, DEV] }, alice)).toBe(true);
    expect(exemptedByNotPrincipal({ AWS: alice.arn }, alice)).toBe(false);
    expect(exemptedByNotPrincipal({ AWS: account }, alice)).toBe(false);
  });

  it("exempts a session only when the session, its role and its account are listed", () => {
    expect(exemptedByNotPrincipal({ AWS: [trainer.arn, trainer.roleArn!, account] }, trainer)).toBe(true);
    expect(exemptedByNotPrincipal({ AWS: [trainer.roleArn!, account] }, trainer)).toBe(false);
    expect(exemptedByNotPrincipal({ AWS: [trainer.arn, account] }, trainer)).toBe(false);
  });

  it("exempts the root user when its account is listed", () => {
    expect(exemptedByNotPrincipal({ AWS: DEV }, root())).toBe(true);
    expect(exemptedByNotPrincipal({ AWS: PROD }, root())).toBe(false);
  });

  it("exempts everyone for \"*\" and services only by name", () => {
    expect(exemptedByNotPrincipal("*", alice)).toBe(true);
    expect(exemptedByNotPrincipal({ AWS: "*" }, trainer)).toBe(true);
    expect(exemptedByNotPrincipal({ Service: "sagemaker.amazonaws.com" }, service("sagemaker.amazonaws.com"))).toBe(true);
    expect(exemptedByNotPrincipal({ Service: "ec2.amazonaws.com" }, service("sagemaker.amazonaws.com"))).toBe(false);
    expect(exemptedByNotPrincipal({ AWS: DEV }, service("sagemaker.amazonaws.com"))).toBe(false);
  });
});
