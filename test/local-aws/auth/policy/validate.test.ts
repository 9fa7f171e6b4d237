import { describe, expect, it } from "vitest";
import { POLICY_SIZE_LIMITS, policySize } from "../../../../lib/local-aws/auth/policy/limits.ts";
import type { PolicyKind } from "../../../../lib/local-aws/auth/policy/types.ts";
import { decodePolicyText, parsePolicyDocument, PolicyDocumentError } from "../../../../lib/local-aws/auth/policy/index.ts";

const IDENTITY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/*" }] };
const TRUST = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }],
};
const BUCKET_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/*" }],
};

function errorOf(text: string, kind: PolicyKind, managedPolicy = false): PolicyDocumentError {
  try {
    parsePolicyDocument(text, kind, { managedPolicy });
  } catch (error) {
    if (error instanceof PolicyDocumentError) return error;
    throw error;
  }
  throw new Error("document was accepted");
}

const messageOf = (document: unknown, kind: PolicyKind) => errorOf(typeof document === "string" ? document : JSON.stringify(document), kind).message;

/** The sample document of `kind` with its first statement changed. */
function withStatement(base: { Statement: object[] }, change: Record<string, unknown>): object {
  const statement: Record<string, unknown> = { ...base.Statement[0], ...change };
  for (const [field, value] of Object.entries(change)) if (value === undefined) delete statement[field];
  return { ...base, Statement: [statement] };
}

describe("parsePolicyDocument accepts", () => {
  it("valid documents of each kind and returns them parsed", () => {
    expect(parsePolicyDocument(JSON.stringify(IDENTITY), "identity")).toEqual(IDENTITY);
    expect(parsePolicyDocument(JSON.stringify(TRUST), "trust")).toEqual(TRUST);
    expect(parsePolicyDocument(JSON.stringify(BUCKET_POLICY), "resource")).toEqual(BUCKET_POLICY);
  });

  it("URL-encoded documents, as IAM returns them", () => {
    const json = JSON.stringify(IDENTITY);
    expect(parsePolicyDocument(encodeURIComponent(json), "identity")).toEqual(IDENTITY);
    expect(decodePolicyText(encodeURIComponent(json))).toBe(json);
    expect(decodePolicyText(json)).toBe(json);
    expect(decodePolicyText("%7B%E0%A4%A")).toBe("%7B%E0%A4%A");
  });

  it("a single statement object, lists, conditions, NotAction/NotResource and policy variables", () => {
    const document = {
      Version: "2012-10-17",
      Id: "example",
      Statement: {
        Sid: "Home",
        Effect: "Deny",
        NotAction: ["s3:GetObject", "s3:List*"],
        NotResource: "arn:aws:s3:::bucket/home/${aws:username}/*",
        Condition: {
          "ForAnyValue:StringLikeIfExists": { "aws:TagKeys": ["team-*"] },
          DateGreaterThan: { "aws:CurrentTime": ["2024-01-01T00:00:00Z", "1704067200"] },
          Bool: { "aws:SecureTransport": false },
          NumericLessThan: { "s3:max-keys": 10 },
          Null: { "aws:TokenIssueTime": "true" },
        },
      },
    };
    expect(parsePolicyDocument(JSON.stringify(document), "identity")).toEqual(document);
  });

  it("trust policies with every principal form", () => {
    const document = {
      Statement: [
        {
          Effect: "Allow",
          Principal: {
            AWS: [
              "111111111111",
              "arn:aws:iam::111111111111:root",
              "arn:aws:iam::111111111111:user/alice",
              "arn:aws:iam::111111111111:role/path/Role",
              "arn:aws:sts::111111111111:assumed-role/Role/session",
              "AROAEXAMPLEEXAMPLE123",
            ],
          },
          Action: ["sts:AssumeRole", "sts:TagSession"],
          Condition: { StringEquals: { "sts:ExternalId": "x" } },
        },
        { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" },
      ],
    };
    expect(parsePolicyDocument(JSON.stringify(document), "trust")).toEqual(document);
  });

  it("resource policies without Resource (key policies), with Version 2008-10-17, with a NotPrincipal deny", () => {
    const keyPolicy = {
      Version: "2008-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:*" },
        { Effect: "Deny", NotPrincipal: { AWS: ["arn:aws:iam::111111111111:root", "arn:aws:iam::111111111111:user/admin"] }, Action: "kms:Delete*" },
      ],
    };
    expect(parsePolicyDocument(JSON.stringify(keyPolicy), "resource")).toEqual(keyPolicy);
  });
});

describe("parsePolicyDocument rejects, with AWS's messages", () => {
  it("invalid JSON, worded per service", () => {
    expect(messageOf("{nope", "identity")).toBe("Syntax errors in policy.");
    expect(messageOf("{nope", "trust")).toBe("This policy contains invalid Json");
    expect(messageOf("[1]", "resource")).toBe("Policies must be valid JSON and the first byte must be '{'");
    expect(messageOf("null", "identity")).toBe("Syntax errors in policy.");
  });

  it.each([
    ["an unknown top-level field", { ...IDENTITY, Foo: 1 }],
    ["an unsupported Version", { ...IDENTITY, Version: "2012-10-18" }],
    ["a non-string Id", { ...IDENTITY, Id: 5 }],
    ["a missing Statement", { Version: "2012-10-17" }],
    ["an empty Statement", { Version: "2012-10-17", Statement: [] }],
    ["a Statement that is a string", { Version: "2012-10-17", Statement: "x" }],
    ["a statement that is not an object", { Version: "2012-10-17", Statement: ["x"] }],
    ["an unknown statement field", withStatement(IDENTITY, { Actions: "s3:*" })],
    ["both Action and NotAction", withStatement(IDENTITY, { NotAction: "s3:PutObject" })],
    ["both Resource and NotResource", withStatement(IDENTITY, { NotResource: "*" })],
    ["a missing Effect", withStatement(IDENTITY, { Effect: undefined })],
    ["an Effect other than Allow/Deny", withStatement(IDENTITY, { Effect: "Permit" })],
    ["an Action that is a number", withStatement(IDENTITY, { Action: 5 })],
    ["a Resource list holding a number", withStatement(IDENTITY, { Resource: ["*", 5] })],
    ["a non-string Sid", withStatement(IDENTITY, { Sid: 1 })],
    ["an unknown condition operator", withStatement(IDENTITY, { Condition: { StringEqualz: { "aws:username": "a" } } })],
    ["a condition block that is not an object", withStatement(IDENTITY, { Condition: { StringEquals: "a" } })],
    ["a condition value that is an object", withStatement(IDENTITY, { Condition: { StringEquals: { "aws:username": { a: 1 } } } })],
  ])("identity policy: %s → Syntax errors in policy.", (_, document) => {
    expect(messageOf(document, "identity")).toBe("Syntax errors in policy.");
  });

  it("trust and resource policies with a missing or empty Statement", () => {
    expect(messageOf({ Version: "2012-10-17" }, "trust")).toBe("Missing required field Statement");
    expect(messageOf({ Version: "2012-10-17", Statement: [] }, "trust")).toBe("Could not parse the policy: Statement is empty!");
    expect(messageOf({ Version: "2012-10-17", Statement: [] }, "resource")).toBe("Could not parse the policy: Statement is empty!");
  });

  it("an Effect in the wrong case", () => {
    expect(messageOf(withStatement(IDENTITY, { Effect: "allow" }), "identity")).toBe("The policy failed legacy parsing");
  });

  it("dates it cannot parse", () => {
    const condition = { Condition: { DateLessThan: { "aws:CurrentTime": "next tuesday" } } };
    expect(messageOf(withStatement(IDENTITY, condition), "identity")).toBe("The policy failed legacy parsing");
  });

  it("truncated ARNs", () => {
    expect(messageOf(withStatement(IDENTITY, { Resource: "arn:aws:s3::bucket" }), "identity")).toBe("The policy failed legacy parsing");
  });

  it("identity policies without Version 2012-10-17", () => {
    const message = "Policy document must be version 2012-10-17 or greater.";
    expect(messageOf({ ...IDENTITY, Version: undefined }, "identity")).toBe(message);
    expect(messageOf({ ...IDENTITY, Version: "2008-10-17" }, "identity")).toBe(message);
  });

  it("duplicate statement ids", () => {
    const statement = { Sid: "Same", Effect: "Allow", Action: "s3:*", Resource: "*" };
    expect(messageOf({ Version: "2012-10-17", Statement: [statement, statement] }, "identity")).toBe(
      "Statement IDs (SID) in a single policy must be unique.",
    );
  });

  it("a principal in an identity policy", () => {
    expect(messageOf(withStatement(IDENTITY, { Principal: "*" }), "identity")).toBe("Policy document should not specify a principal.");
    expect(messageOf(withStatement(IDENTITY, { NotPrincipal: { AWS: "*" } }), "identity")).toBe(
      "Policy document should not specify a principal.",
    );
  });

  it("NotPrincipal in trust policies", () => {
    const notPrincipal = { Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::111111111111:root" }, Effect: "Deny" };
    expect(messageOf(withStatement(TRUST, notPrincipal), "trust")).toBe("Has prohibited field NotPrincipal");
  });

  it("a missing or empty principal in trust and resource policies", () => {
    expect(messageOf(withStatement(TRUST, { Principal: undefined }), "trust")).toBe("Missing required field Principal");
    expect(messageOf(withStatement(BUCKET_POLICY, { Principal: undefined }), "resource")).toBe("Missing required field Principal");
    expect(messageOf(withStatement(TRUST, { Principal: {} }), "trust")).toBe("Missing required field Principal cannot be empty!");
  });

  it("missing actions", () => {
    expect(messageOf(withStatement(IDENTITY, { Action: undefined }), "identity")).toBe("Policy statement must contain actions.");
    expect(messageOf(withStatement(IDENTITY, { Action: [] }), "identity")).toBe("Policy statement must contain actions.");
    expect(messageOf(withStatement(TRUST, { Action: undefined }), "trust")).toBe("Missing required field Action");
    expect(messageOf(withStatement(BUCKET_POLICY, { Action: undefined }), "resource")).toBe("Missing required field Action");
  });

  it("missing resources in identity policies", () => {
    expect(messageOf(withStatement(IDENTITY, { Resource: undefined }), "identity")).toBe("Policy statement must contain resources.");
    expect(messageOf(withStatement(IDENTITY, { Resource: [] }), "identity")).toBe("Policy statement must contain resources.");
  });

  it("resources in trust policies", () => {
    expect(messageOf(withStatement(TRUST, { Resource: "*" }), "trust")).toBe("Has prohibited field Resource");
    expect(messageOf(withStatement(TRUST, { NotResource: "*" }), "trust")).toBe("Has prohibited field NotResource");
  });

  it("resources that are not ARNs", () => {
    expect(messageOf(withStatement(IDENTITY, { Resource: "bucket/*" }), "identity")).toBe('Resource bucket/* must be in ARN format or "*".');
    expect(messageOf(withStatement(BUCKET_POLICY, { Resource: "bucket/*" }), "resource")).toBe("Policy has invalid resource");
  });

  it("actions without a vendor, with two colons, or with an invalid vendor", () => {
    expect(messageOf(withStatement(IDENTITY, { Action: "GetObject" }), "identity")).toBe(
      "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
    );
    expect(messageOf(withStatement(IDENTITY, { Action: "s3:Get:Object" }), "identity")).toBe("Actions/Condition can contain only one colon.");
    expect(messageOf(withStatement(IDENTITY, { Action: "s 3:GetObject" }), "identity")).toBe("Vendor s 3 is not valid");
    expect(messageOf(withStatement(BUCKET_POLICY, { Action: "GetObject" }), "resource")).toBe("Policy has invalid action");
  });

  it("non-STS actions in trust policies", () => {
    expect(messageOf(withStatement(TRUST, { Action: "s3:GetObject" }), "trust")).toBe("AssumeRole policy may only specify STS AssumeRole actions.");
  });

  it("condition keys without a vendor", () => {
    const condition = { Condition: { StringEquals: { username: "alice" } } };
    expect(messageOf(withStatement(IDENTITY, condition), "identity")).toBe("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
    expect(messageOf(withStatement(BUCKET_POLICY, condition), "resource")).toBe("Policy has an invalid condition key");
  });

  it("invalid principals, including partial wildcards", () => {
    const principal = (value: unknown) => withStatement(TRUST, { Principal: value });
    expect(messageOf(principal({ AWS: "arn:aws:iam::111111111111:role/*" }), "trust")).toBe(
      'Invalid principal in policy: "AWS":"arn:aws:iam::111111111111:role/*"',
    );
    expect(messageOf(principal({ AWS: "alice" }), "trust")).toBe('Invalid principal in policy: "AWS":"alice"');
    expect(messageOf(principal({ Service: "sagemaker" }), "trust")).toBe('Invalid principal in policy: "Service":"sagemaker"');
    expect(messageOf(principal({ Robot: "x" }), "trust")).toBe('Invalid principal in policy: "Robot":"x"');
    expect(messageOf(principal("someone"), "trust")).toBe('Invalid principal in policy: "AWS":"someone"');
    expect(messageOf(withStatement(BUCKET_POLICY, { Principal: { AWS: "arn:aws:iam::*:root" } }), "resource")).toBe("Invalid principal in policy");
  });
});

describe("size quotas", () => {
  const padded = (base: { Statement: object[] }, sidLength: number) => JSON.stringify(withStatement(base, { Sid: "x".repeat(sidLength) }));

  it("count characters without white space", () => {
    expect(policySize(' { "a" : 1 }\n')).toBe(7);
  });

  it("limit role trust policies to 2048 characters", () => {
    const fits = padded(TRUST, 0);
    const tooLarge = padded(TRUST, POLICY_SIZE_LIMITS.roleTrustPolicy - policySize(fits) + 1);
    expect(policySize(tooLarge)).toBe(POLICY_SIZE_LIMITS.roleTrustPolicy + 1);
    const error = errorOf(tooLarge, "trust");
    expect(error.code).toBe("LimitExceeded");
    expect(error.message).toBe("Cannot exceed quota for ACLSizePerRole: 2048");
    expect(() => parsePolicyDocument(padded(TRUST, POLICY_SIZE_LIMITS.roleTrustPolicy - policySize(fits)), "trust")).not.toThrow();
  });

  it("limit managed policies to 6144 characters, ignoring white space", () => {
    const base = padded(IDENTITY, 0);
    const atLimit = padded(IDENTITY, POLICY_SIZE_LIMITS.managedPolicy - policySize(base));
    expect(() => parsePolicyDocument(atLimit.replace(/,/g, ",\n    "), "identity", { managedPolicy: true })).not.toThrow();
    const tooLarge = padded(IDENTITY, POLICY_SIZE_LIMITS.managedPolicy - policySize(base) + 1);
    expect(errorOf(tooLarge, "identity", true).message).toBe("Cannot exceed quota for PolicySize: 6144");
    expect(() => parsePolicyDocument(tooLarge, "identity")).not.toThrow();
  });

  it("use the service's error code for malformed documents", () => {
    expect(errorOf("{", "identity").code).toBe("MalformedPolicyDocument");
    expect(errorOf("{", "trust").code).toBe("MalformedPolicyDocument");
    expect(errorOf("{", "resource").code).toBe("MalformedPolicy");
    expect(errorOf("{", "identity")).toBeInstanceOf(Error);
    expect(errorOf("{", "identity").name).toBe("PolicyDocumentError");
  });
});
