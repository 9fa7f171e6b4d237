import { describe, expect, it } from "vitest";
import { evaluate } from "../../../../lib/local-aws/auth/policy/evaluate.ts";
import type { PolicyDocument } from "../../../../lib/local-aws/auth/policy/types.ts";
import { allow, deny, DEV, policy, PROD, request, root, service, session, user } from "./fixtures.ts";

const alice = user("alice");
const bob = user("bob");
const trainer = session("Trainer", "job-42");
const BUCKET = "arn:aws:s3:::dev-data";
const OBJECT = `${BUCKET}/train/part-0.csv`;

describe("identity-based policies", () => {
  it("deny implicitly when nothing allows", () => {
    expect(evaluate(request(alice, "iam:CreateUser", `arn:aws:iam::${DEV}:user/x`))).toEqual({
      decision: "ImplicitDeny",
      deniedBy: "identity-based policy",
    });
  });

  it("allow when any statement of any policy allows", () => {
    const policies = [policy(allow("s3:ListBucket", BUCKET)), policy(allow("s3:GetObject", `${BUCKET}/*`))];
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { identityPolicies: policies })).decision).toBe("Allow");
  });

  it("let an explicit deny in any policy win", () => {
    const policies = [policy(allow("s3:*")), policy(deny("s3:GetObject", `${BUCKET}/train/*`))];
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { identityPolicies: policies }))).toEqual({
      decision: "ExplicitDeny",
      deniedBy: "identity-based policy",
      explicitDenyIn: "identity-based policy",
    });
  });

  it("match actions case-insensitively with wildcards", () => {
    const evaluateAction = (pattern: string) =>
      evaluate(request(alice, "iam:CreateUser", "*", { identityPolicies: [policy(allow(pattern))] })).decision;
    expect(evaluateAction("IAM:createuser")).toBe("Allow");
    expect(evaluateAction("iam:Create*")).toBe("Allow");
    expect(evaluateAction("iam:Cr?ateUser")).toBe("Allow");
    expect(evaluateAction("*")).toBe("Allow");
    expect(evaluateAction("iam:Delete*")).toBe("ImplicitDeny");
    expect(evaluateAction("s3:*")).toBe("ImplicitDeny");
  });

  it("match resources case-sensitively with wildcards", () => {
    const evaluateResource = (pattern: string) =>
      evaluate(request(alice, "s3:GetObject", OBJECT, { identityPolicies: [policy(allow("s3:GetObject", pattern))] })).decision;
    expect(evaluateResource(`${BUCKET}/*`)).toBe("Allow");
    expect(evaluateResource(`${BUCKET}/train/part-?.csv`)).toBe("Allow");
    expect(evaluateResource("arn:aws:s3:::DEV-DATA/*")).toBe("ImplicitDeny");
    expect(evaluateResource(`${BUCKET}/test/*`)).toBe("ImplicitDeny");
  });

  it("support NotAction", () => {
    const identityPolicies = [policy({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })];
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { identityPolicies })).decision).toBe("Allow");
    expect(evaluate(request(alice, "iam:CreateUser", "*", { identityPolicies })).decision).toBe("ImplicitDeny");
  });

  it("support NotResource, also in a deny", () => {
    const identityPolicies = [
      policy(allow("s3:*"), { Effect: "Deny", Action: "s3:*", NotResource: [BUCKET, `${BUCKET}/*`] }),
    ];
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { identityPolicies })).decision).toBe("Allow");
    expect(evaluate(request(alice, "s3:GetObject", "arn:aws:s3:::other/x", { identityPolicies })).decision).toBe("ExplicitDeny");
  });

  it("resolve policy variables in resources and ignore statements whose variables cannot resolve", () => {
    const identityPolicies = [policy(allow("s3:GetObject", `${BUCKET}/home/\${aws:username}/*`))];
    const context = { "aws:username": "alice" };
    expect(evaluate(request(alice, "s3:GetObject", `${BUCKET}/home/alice/a`, { identityPolicies, context })).decision).toBe("Allow");
    expect(evaluate(request(alice, "s3:GetObject", `${BUCKET}/home/bob/a`, { identityPolicies, context })).decision).toBe("ImplicitDeny");
    expect(evaluate(request(trainer, "s3:GetObject", `${BUCKET}/home/alice/a`, { identityPolicies })).decision).toBe("ImplicitDeny");
  });

  it("do not substitute variables in documents without Version 2012-10-17", () => {
    const literal: PolicyDocument = { Statement: [allow("s3:GetObject", `${BUCKET}/home/\${aws:username}/*`)] };
    const context = { "aws:username": "alice" };
    expect(evaluate(request(alice, "s3:GetObject", `${BUCKET}/home/alice/a`, { identityPolicies: [literal], context })).decision).toBe("ImplicitDeny");
    expect(evaluate(request(alice, "s3:GetObject", `${BUCKET}/home/\${aws:username}/a`, { identityPolicies: [literal], context })).decision).toBe("Allow");
  });

  it("apply conditions", () => {
    const identityPolicies = [policy(allow("s3:*", "*", { Condition: { Bool: { "aws:SecureTransport": "true" } } }))];
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { identityPolicies, context: { "aws:SecureTransport": "true" } })).decision).toBe("Allow");
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { identityPolicies, context: { "aws:SecureTransport": "false" } })).decision).toBe("ImplicitDeny");
  });

  it("ignore a statement with an unknown condition operator, whatever its effect", () => {
    const unknown = { Condition: { StringEqualz: { "aws:username": "alice" } } };
    const identityPolicies = [policy(allow("s3:*"), deny("s3:*", "*", unknown))];
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { identityPolicies, context: { "aws:username": "alice" } })).decision).toBe("Allow");
  });

  it("accept a single statement object instead of a list", () => {
    const single: PolicyDocument = { Version: "2012-10-17", Statement: allow("s3:GetObject") };
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { identityPolicies: [single] })).decision).toBe("Allow");
  });

  it("treat a statement without Action or NotAction as applying to nothing", () => {
    const noAction: PolicyDocument = policy({ Effect: "Allow", Resource: "*" });
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { identityPolicies: [noAction] })).decision).toBe("ImplicitDeny");
  });

  it("give the account root user everything not explicitly denied", () => {
    expect(evaluate(request(root(), "iam:CreateUser", "*")).decision).toBe("Allow");
    const bucketPolicy = policy(deny("s3:*", `${BUCKET}/*`, { Principal: "*" }));
    expect(evaluate(request(root(), "s3:GetObject", OBJECT, { resourcePolicy: bucketPolicy })).decision).toBe("ExplicitDeny");
  });
});

describe("resource-based policies in the same account", () => {
  const identityPolicies = [policy(allow("s3:GetObject", `${BUCKET}/*`))];

  it("allow on the identity policy alone", () => {
    const bucketPolicy = policy(allow("s3:PutObject", `${BUCKET}/*`, { Principal: { AWS: bob.arn } }));
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { identityPolicies, resourcePolicy: bucketPolicy, resourceAccount: DEV })).decision).toBe("Allow");
  });

  it("allow on a resource policy naming the user, with no identity policy", () => {
    const bucketPolicy = policy(allow("s3:GetObject", `${BUCKET}/*`, { Principal: { AWS: alice.arn } }));
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { resourcePolicy: bucketPolicy })).decision).toBe("Allow");
    expect(evaluate(request(bob, "s3:GetObject", OBJECT, { resourcePolicy: bucketPolicy })).decision).toBe("ImplicitDeny");
  });

  // AWS: a same-account resource-based policy that names the role ARN or the role session ARN grants
  // the session the permission even though its identity policies do not (they differ only in how
  // permissions boundaries and session policies limit them, which this engine does not model).
  it("allow on a resource policy naming the role or the session, with no identity policy", () => {
    const byRole = policy(allow("s3:GetObject", `${BUCKET}/*`, { Principal: { AWS: trainer.roleArn! } }));
    const bySession = policy(allow("s3:GetObject", `${BUCKET}/*`, { Principal: { AWS: trainer.arn } }));
    expect(evaluate(request(trainer, "s3:GetObject", OBJECT, { resourcePolicy: byRole })).decision).toBe("Allow");
    expect(evaluate(request(trainer, "s3:GetObject", OBJECT, { resourcePolicy: bySession })).decision).toBe("Allow");
    expect(evaluate(request(session("Trainer", "other-job"), "s3:GetObject", OBJECT, { resourcePolicy: bySession })).decision).toBe("ImplicitDeny");
  });

  it("treat the account root as delegation: the identity policy must allow too", () => {
    for (const principal of [`arn:aws:iam::${DEV}:root`, DEV]) {
      const bucketPolicy = policy(allow("s3:GetObject", `${BUCKET}/*`, { Principal: { AWS: principal } }));
      expect(evaluate(request(alice, "s3:GetObject", OBJECT, { resourcePolicy: bucketPolicy }))).toEqual({
        decision: "ImplicitDeny",
        deniedBy: "identity-based policy",
      });
      expect(evaluate(request(alice, "s3:GetObject", OBJECT, { identityPolicies, resourcePolicy: bucketPolicy })).decision).toBe("Allow");
    }
  });

  it("let a resource policy's explicit deny win over the identity allow", () => {
    const bucketPolicy = policy(deny("s3:GetObject", `${BUCKET}/*`, { Principal: { AWS: alice.arn } }));
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { identityPolicies, resourcePolicy: bucketPolicy }))).toEqual({
      decision: "ExplicitDeny",
      deniedBy: "resource-based policy",
      explicitDenyIn: "resource-based policy",
    });
  });

  it("apply a deny naming the account to everyone in it", () => {
    const bucketPolicy = policy(deny("s3:GetObject", `${BUCKET}/*`, { Principal: { AWS: DEV } }));
    expect(evaluate(request(trainer, "s3:GetObject", OBJECT, { identityPolicies, resourcePolicy: bucketPolicy })).decision).toBe("ExplicitDeny");
  });

  it("report an identity deny before a resource deny", () => {
    const bucketPolicy = policy(deny("s3:GetObject", `${BUCKET}/*`, { Principal: "*" }));
    const denying = [policy(deny("s3:*"))];
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { identityPolicies: denying, resourcePolicy: bucketPolicy })).explicitDenyIn).toBe(
      "identity-based policy",
    );
  });

  it("support NotPrincipal in a deny, exempting only callers listed with their account", () => {
    const allowAll = [policy(allow("s3:*"))];
    const notPrincipal = (...AWS: string[]) => policy(deny("s3:*", `${BUCKET}/*`, { NotPrincipal: { AWS } }));
    const decision = (caller: typeof alice, resourcePolicy: PolicyDocument) =>
      evaluate(request(caller, "s3:GetObject", OBJECT, { identityPolicies: allowAll, resourcePolicy })).decision;
    expect(decision(alice, notPrincipal(alice.arn, DEV))).toBe("Allow");
    expect(decision(bob, notPrincipal(alice.arn, DEV))).toBe("ExplicitDeny");
    expect(decision(alice, notPrincipal(alice.arn))).toBe("ExplicitDeny");
  });

  it("ignore resource policy statements without a principal", () => {
    const bucketPolicy = policy(allow("s3:GetObject", `${BUCKET}/*`));
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { resourcePolicy: bucketPolicy })).decision).toBe("ImplicitDeny");
  });

  it("apply resource policy conditions, including s3:prefix", () => {
    const bucketPolicy = policy(
      allow("s3:ListBucket", BUCKET, { Principal: { AWS: alice.arn }, Condition: { StringLike: { "s3:prefix": "train/*" } } }),
    );
    expect(evaluate(request(alice, "s3:ListBucket", BUCKET, { resourcePolicy: bucketPolicy, context: { "s3:prefix": "train/x" } })).decision).toBe("Allow");
    expect(evaluate(request(alice, "s3:ListBucket", BUCKET, { resourcePolicy: bucketPolicy, context: { "s3:prefix": "test/x" } })).decision).toBe("ImplicitDeny");
  });

  it("treat a missing resourceAccount as the principal's account", () => {
    const bucketPolicy = policy(allow("s3:GetObject", `${BUCKET}/*`, { Principal: { AWS: alice.arn } }));
    expect(evaluate(request(alice, "s3:GetObject", OBJECT, { resourcePolicy: bucketPolicy, resourceAccount: undefined })).decision).toBe("Allow");
  });
});

describe("cross-account requests", () => {
  const prodBucket = "arn:aws:s3:::prod-models";
  const prodObject = `${prodBucket}/model.tar.gz`;
  const identityPolicies = [policy(allow("s3:GetObject", `${prodBucket}/*`))];
  const cross = { resourceAccount: PROD };

  it("need both the identity policy and the resource policy", () => {
    const bucketPolicy = policy(allow("s3:GetObject", `${prodBucket}/*`, { Principal: { AWS: alice.arn } }));
    expect(evaluate(request(alice, "s3:GetObject", prodObject, { ...cross, identityPolicies, resourcePolicy: bucketPolicy })).decision).toBe("Allow");
    expect(evaluate(request(alice, "s3:GetObject", prodObject, { ...cross, resourcePolicy: bucketPolicy }))).toEqual({
      decision: "ImplicitDeny",
      deniedBy: "identity-based policy",
    });
    expect(evaluate(request(alice, "s3:GetObject", prodObject, { ...cross, identityPolicies }))).toEqual({
      decision: "ImplicitDeny",
      deniedBy: "resource-based policy",
    });
  });

  it("accept the caller's account root as the resource side", () => {
    const bucketPolicy = policy(allow("s3:GetObject", `${prodBucket}/*`, { Principal: { AWS: `arn:aws:iam::${DEV}:root` } }));
    expect(evaluate(request(trainer, "s3:GetObject", prodObject, { ...cross, identityPolicies, resourcePolicy: bucketPolicy })).decision).toBe("Allow");
  });

  it("do not accept another account's root or a same-account grant in the wrong account", () => {
    const bucketPolicy = policy(allow("s3:GetObject", `${prodBucket}/*`, { Principal: { AWS: PROD } }));
    expect(evaluate(request(alice, "s3:GetObject", prodObject, { ...cross, identityPolicies, resourcePolicy: bucketPolicy })).decision).toBe("ImplicitDeny");
  });

  it("let the root user of another account in only through the resource policy", () => {
    const bucketPolicy = policy(allow("s3:GetObject", `${prodBucket}/*`, { Principal: { AWS: DEV } }));
    expect(evaluate(request(root(DEV), "s3:GetObject", prodObject, { ...cross, resourcePolicy: bucketPolicy })).decision).toBe("Allow");
    expect(evaluate(request(root(DEV), "s3:GetObject", prodObject, cross)).decision).toBe("ImplicitDeny");
  });

  it("let an explicit deny on either side win", () => {
    const bucketPolicy = policy(
      allow("s3:GetObject", `${prodBucket}/*`, { Principal: { AWS: DEV } }),
      deny("s3:GetObject", `${prodBucket}/*`, { Principal: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    );
    const insecure = { "aws:SecureTransport": "false" };
    expect(evaluate(request(alice, "s3:GetObject", prodObject, { ...cross, identityPolicies, resourcePolicy: bucketPolicy, context: insecure })).decision).toBe(
      "ExplicitDeny",
    );
  });
});

describe("role trust policies (sts:AssumeRole)", () => {
  const roleArn = `arn:aws:iam::${PROD}:role/SageMakerExecution`;
  const sameAccountRole = `arn:aws:iam::${DEV}:role/Builder`;
  const assumeAnything = [policy(allow("sts:AssumeRole"))];

  it("need the trust policy to let the caller in even within the account", () => {
    const trustNamingOther = policy({ Effect: "Allow", Principal: { AWS: bob.arn }, Action: "sts:AssumeRole" });
    expect(
      evaluate(request(alice, "sts:AssumeRole", sameAccountRole, { identityPolicies: assumeAnything, resourcePolicy: trustNamingOther })),
    ).toEqual({ decision: "ImplicitDeny", deniedBy: "resource-based policy" });
  });

  it("let a trust policy naming the caller allow it alone within the account", () => {
    const trust = policy({ Effect: "Allow", Principal: { AWS: alice.arn }, Action: "sts:AssumeRole" });
    expect(evaluate(request(alice, "sts:AssumeRole", sameAccountRole, { resourcePolicy: trust })).decision).toBe("Allow");
  });

  it("with an account-root trust, need the identity policy too", () => {
    const trust = policy({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${DEV}:root` }, Action: "sts:AssumeRole" });
    expect(evaluate(request(alice, "sts:AssumeRole", sameAccountRole, { resourcePolicy: trust })).decision).toBe("ImplicitDeny");
    expect(evaluate(request(alice, "sts:AssumeRole", sameAccountRole, { resourcePolicy: trust, identityPolicies: assumeAnything })).decision).toBe(
      "Allow",
    );
  });

  it("check sts:ExternalId cross-account", () => {
    const trust = policy({
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${DEV}:root` },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "sts:ExternalId": "autopilot-2024" } },
    });
    const base = { resourceAccount: PROD, resourcePolicy: trust, identityPolicies: assumeAnything };
    expect(evaluate(request(trainer, "sts:AssumeRole", roleArn, { ...base, context: { "sts:ExternalId": "autopilot-2024" } })).decision).toBe("Allow");
    expect(evaluate(request(trainer, "sts:AssumeRole", roleArn, { ...base, context: { "sts:ExternalId": "guess" } })).decision).toBe("ImplicitDeny");
    expect(evaluate(request(trainer, "sts:AssumeRole", roleArn, base)).decision).toBe("ImplicitDeny");
  });

  it("does not require a resource policy for sts actions that have none", () => {
    expect(evaluate(request(alice, "sts:GetSessionToken", "*", { identityPolicies: [policy(allow("sts:*"))] })).decision).toBe("Allow");
  });
});

describe("service principals", () => {
  const sagemaker = service("sagemaker.amazonaws.com");
  const roleArn = `arn:aws:iam::${DEV}:role/SageMakerExecution`;

  it("are allowed only by the resource policy", () => {
    const trust = policy({ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" });
    expect(evaluate(request(sagemaker, "sts:AssumeRole", roleArn, { resourcePolicy: trust })).decision).toBe("Allow");
    const otherService = policy({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" });
    expect(evaluate(request(sagemaker, "sts:AssumeRole", roleArn, { resourcePolicy: otherService }))).toEqual({
      decision: "ImplicitDeny",
      deniedBy: "resource-based policy",
    });
  });

  it("ignore identity policies", () => {
    expect(evaluate(request(sagemaker, "s3:GetObject", OBJECT, { identityPolicies: [policy(allow("*"))] })).decision).toBe("ImplicitDeny");
    expect(evaluate(request(sagemaker, "s3:GetObject", OBJECT, { identityPolicies: [policy(deny("*"))] })).decision).toBe("ImplicitDeny");
  });

  it("are denied explicitly by a resource policy deny", () => {
    const bucketPolicy = policy(
      allow("s3:GetObject", `${BUCKET}/*`, { Principal: { Service: "sagemaker.amazonaws.com" } }),
      deny("s3:GetObject", `${BUCKET}/*`, { Principal: "*", Condition: { StringNotEquals: { "aws:SourceAccount": DEV } } }),
    );
    expect(evaluate(request(sagemaker, "s3:GetObject", OBJECT, { resourcePolicy: bucketPolicy, context: { "aws:SourceAccount": DEV } })).decision).toBe(
      "Allow",
    );
    expect(evaluate(request(sagemaker, "s3:GetObject", OBJECT, { resourcePolicy: bucketPolicy, context: { "aws:SourceAccount": PROD } })).decision).toBe(
      "ExplicitDeny",
    );
  });
});

describe("iam:PassRole", () => {
  const roleArn = `arn:aws:iam::${DEV}:role/SageMakerExecution`;
  const passToSageMaker = policy(
    allow("iam:PassRole", "arn:aws:iam::*:role/*", { Condition: { StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } } }),
  );

  it("is allowed only to the named service", () => {
    const evaluatePass = (passedTo: string) =>
      evaluate(request(trainer, "iam:PassRole", roleArn, { identityPolicies: [passToSageMaker], context: { "iam:PassedToService": passedTo } }))
        .decision;
    expect(evaluatePass("sagemaker.amazonaws.com")).toBe("Allow");
    expect(evaluatePass("ec2.amazonaws.com")).toBe("ImplicitDeny");
  });
});

describe("evaluation is repeatable", () => {
  it("gives the same answer when a document object is evaluated again", () => {
    const identityPolicies = [policy(allow("s3:GetObject", `${BUCKET}/home/\${aws:username}/*`))];
    for (const name of ["alice", "bob", "alice"]) {
      const result = evaluate(request(user(name), "s3:GetObject", `${BUCKET}/home/alice/x`, { identityPolicies, context: { "aws:username": name } }));
      expect(result.decision).toBe(name === "alice" ? "Allow" : "ImplicitDeny");
    }
  });
});
