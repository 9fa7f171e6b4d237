import { describe, expect, it } from "vitest";
import { compileConditions, conditionsHold } from "../../../../lib/local-aws/auth/policy/conditions.ts";
import { RequestContext } from "../../../../lib/local-aws/auth/policy/context.ts";
import type { ConditionContext, PolicyStatement } from "../../../../lib/local-aws/auth/policy/types.ts";

type Condition = NonNullable<PolicyStatement["Condition"]>;

function holds(condition: Condition, context: ConditionContext, variablesEnabled = true): boolean {
  return conditionsHold(compileConditions(condition, variablesEnabled), new RequestContext(context));
}

/** One operator, one key "k", against a request value (undefined: key absent). */
function test(operator: string, policyValue: Condition[string][string], requestValue: string | string[] | undefined): boolean {
  return holds({ [operator]: { k: policyValue } }, { k: requestValue });
}

describe("string operators", () => {
  it("StringEquals is exact and case-sensitive", () => {
    expect(test("StringEquals", "abc", "abc")).toBe(true);
    expect(test("StringEquals", "abc", "ABC")).toBe(false);
    expect(test("StringEquals", "a*", "abc")).toBe(false);
    expect(test("StringEquals", "a*", "a*")).toBe(true);
  });

  it("StringNotEquals is the negation", () => {
    expect(test("StringNotEquals", "abc", "abc")).toBe(false);
    expect(test("StringNotEquals", "abc", "abd")).toBe(true);
  });

  it("StringEqualsIgnoreCase / StringNotEqualsIgnoreCase ignore case", () => {
    expect(test("StringEqualsIgnoreCase", "Prod", "PROD")).toBe(true);
    expect(test("StringEqualsIgnoreCase", "Prod", "dev")).toBe(false);
    expect(test("StringNotEqualsIgnoreCase", "Prod", "pRoD")).toBe(false);
    expect(test("StringNotEqualsIgnoreCase", "Prod", "dev")).toBe(true);
  });

  it("StringLike / StringNotLike support * and ?", () => {
    expect(test("StringLike", "home/*", "home/alice/x")).toBe(true);
    expect(test("StringLike", "home/?", "home/a")).toBe(true);
    expect(test("StringLike", "home/?", "home/ab")).toBe(false);
    expect(test("StringLike", "Home/*", "home/a")).toBe(false);
    expect(test("StringNotLike", "home/*", "home/alice")).toBe(false);
    expect(test("StringNotLike", "home/*", "tmp/alice")).toBe(true);
  });
});

describe("numeric operators", () => {
  it.each([
    ["NumericEquals", "10", "10", true],
    ["NumericEquals", "10", "10.0", true],
    ["NumericEquals", "10", "11", false],
    ["NumericNotEquals", "10", "11", true],
    ["NumericNotEquals", "10", "10", false],
    ["NumericLessThan", "10", "9", true],
    ["NumericLessThan", "10", "10", false],
    ["NumericLessThanEquals", "10", "10", true],
    ["NumericLessThanEquals", "10", "11", false],
    ["NumericGreaterThan", "10", "11", true],
    ["NumericGreaterThan", "10", "10", false],
    ["NumericGreaterThanEquals", "10", "10", true],
    ["NumericGreaterThanEquals", "10", "-3", false],
    ["NumericLessThan", "1.5", "1.25", true],
  ] as const)("%s %s against %s is %s", (operator, policyValue, requestValue, expected) => {
    expect(test(operator, policyValue, requestValue)).toBe(expected);
  });

  it("accepts JSON numbers as policy values", () => {
    expect(test("NumericLessThanEquals", 100, "100")).toBe(true);
  });

  it("never matches values that are not numbers", () => {
    expect(test("NumericEquals", "10", "ten")).toBe(false);
    expect(test("NumericLessThan", "abc", "1")).toBe(false);
  });
});

describe("date operators", () => {
  it.each([
    ["DateEquals", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", true],
    ["DateEquals", "2024-01-01T00:00:00Z", "2024-01-01T01:00:00+01:00", true],
    ["DateNotEquals", "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z", true],
    ["DateNotEquals", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", false],
    ["DateLessThan", "2024-01-01T00:00:00Z", "2023-12-31T23:59:59Z", true],
    ["DateLessThan", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", false],
    ["DateLessThanEquals", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z", true],
    ["DateGreaterThan", "2024-01-01T00:00:00Z", "2024-06-01T00:00:00Z", true],
    ["DateGreaterThan", "2024-01-01T00:00:00Z", "2023-06-01T00:00:00Z", false],
    ["DateGreaterThanEquals", "2024-01-01", "2024-01-01T00:00:00Z", true],
  ] as const)("%s %s against %s is %s", (operator, policyValue, requestValue, expected) => {
    expect(test(operator, policyValue, requestValue)).toBe(expected);
  });

  it("accepts epoch seconds on either side", () => {
    expect(test("DateGreaterThan", "1704067200", "2024-01-01T00:00:01Z")).toBe(true);
    expect(test("DateEquals", "2024-01-01T00:00:00Z", "1704067200")).toBe(true);
    expect(test("DateLessThan", 1704067200, "1704067199")).toBe(true);
  });

  it("never matches dates it cannot parse", () => {
    expect(test("DateEquals", "2024-01-01T00:00:00Z", "yesterday")).toBe(false);
  });
});

describe("Bool, BinaryEquals, IpAddress", () => {
  it("Bool compares true/false case-insensitively and accepts JSON booleans", () => {
    expect(test("Bool", "true", "true")).toBe(true);
    expect(test("Bool", true, "true")).toBe(true);
    expect(test("Bool", "false", "TRUE")).toBe(false);
    expect(test("Bool", "False", "false")).toBe(true);
  });

  it("BinaryEquals compares base64-decoded bytes", () => {
    const value = Buffer.from("secret").toString("base64");
    expect(test("BinaryEquals", value, value)).toBe(true);
    expect(test("BinaryEquals", value, Buffer.from("other").toString("base64"))).toBe(false);
  });

  it("IpAddress / NotIpAddress test CIDR membership", () => {
    expect(test("IpAddress", "203.0.113.0/24", "203.0.113.9")).toBe(true);
    expect(test("IpAddress", ["10.0.0.0/8", "203.0.113.0/24"], "203.0.113.9")).toBe(true);
    expect(test("IpAddress", "203.0.113.0/24", "198.51.100.1")).toBe(false);
    expect(test("NotIpAddress", "203.0.113.0/24", "198.51.100.1")).toBe(true);
    expect(test("NotIpAddress", "203.0.113.0/24", "203.0.113.9")).toBe(false);
  });
});

describe("ARN operators", () => {
  const roleArn = "arn:aws:iam::111111111111:role/team/Admin";

  it("ArnEquals and ArnLike match segment by segment with wildcards", () => {
    expect(test("ArnEquals", roleArn, roleArn)).toBe(true);
    expect(test("ArnLike", "arn:aws:iam::*:role/team/*", roleArn)).toBe(true);
    expect(test("ArnEquals", "arn:aws:iam::111111111111:role/*", roleArn)).toBe(true);
    expect(test("ArnLike", "arn:aws:iam::222222222222:role/*", roleArn)).toBe(false);
    expect(test("ArnLike", "arn:aws:iam::111111111111:role/team/admin", roleArn)).toBe(false);
  });

  it("ArnNotEquals and ArnNotLike negate them", () => {
    expect(test("ArnNotEquals", "arn:aws:iam::111111111111:role/Other", roleArn)).toBe(true);
    expect(test("ArnNotLike", "arn:aws:iam::*:role/team/*", roleArn)).toBe(false);
  });

  it("does not match values that are not ARNs against full patterns", () => {
    expect(test("ArnLike", "arn:aws:iam::*:role/*", "role/Admin")).toBe(false);
  });
});

describe("missing keys", () => {
  it("positive operators do not hold, negated operators hold", () => {
    expect(test("StringEquals", "x", undefined)).toBe(false);
    expect(test("StringLike", "*", undefined)).toBe(false);
    expect(test("NumericLessThan", "5", undefined)).toBe(false);
    expect(test("Bool", "true", undefined)).toBe(false);
    expect(test("IpAddress", "0.0.0.0/0", undefined)).toBe(false);
    expect(test("StringNotEquals", "x", undefined)).toBe(true);
    expect(test("StringNotLike", "x*", undefined)).toBe(true);
    expect(test("ArnNotLike", "arn:*", undefined)).toBe(true);
    expect(test("NotIpAddress", "10.0.0.0/8", undefined)).toBe(true);
    expect(test("NumericNotEquals", "1", undefined)).toBe(true);
  });

  it("...IfExists holds when the key is missing and behaves normally when present", () => {
    expect(test("StringEqualsIfExists", "x", undefined)).toBe(true);
    expect(test("StringEqualsIfExists", "x", "x")).toBe(true);
    expect(test("StringEqualsIfExists", "x", "y")).toBe(false);
    expect(test("BoolIfExists", "false", undefined)).toBe(true);
    expect(test("NumericLessThanIfExists", "5", "9")).toBe(false);
    expect(test("StringNotEqualsIfExists", "x", "x")).toBe(false);
  });

  it("Null tests presence", () => {
    expect(test("Null", "true", undefined)).toBe(true);
    expect(test("Null", "true", "v")).toBe(false);
    expect(test("Null", "false", "v")).toBe(true);
    expect(test("Null", false, undefined)).toBe(false);
    expect(test("Null", "TRUE", undefined)).toBe(true);
  });
});

describe("set operators", () => {
  it("ForAnyValue holds when some request value matches some policy value", () => {
    expect(test("ForAnyValue:StringEquals", ["a", "b"], ["x", "b"])).toBe(true);
    expect(test("ForAnyValue:StringEquals", ["a", "b"], ["x", "y"])).toBe(false);
    expect(test("ForAnyValue:StringLike", "team-*", ["x", "team-ml"])).toBe(true);
  });

  it("ForAllValues holds when every request value matches some policy value", () => {
    expect(test("ForAllValues:StringEquals", ["a", "b", "c"], ["a", "c"])).toBe(true);
    expect(test("ForAllValues:StringEquals", ["a", "b"], ["a", "z"])).toBe(false);
  });

  it("on a missing key or empty set, ForAllValues holds and ForAnyValue does not", () => {
    expect(test("ForAllValues:StringEquals", "a", undefined)).toBe(true);
    expect(test("ForAllValues:StringEquals", "a", [])).toBe(true);
    expect(test("ForAnyValue:StringEquals", "a", undefined)).toBe(false);
    expect(test("ForAnyValue:StringEquals", "a", [])).toBe(false);
  });

  it("applies negated operators to each request value", () => {
    expect(test("ForAllValues:StringNotEquals", ["a", "b"], ["c", "d"])).toBe(true);
    expect(test("ForAllValues:StringNotEquals", ["a", "b"], ["c", "a"])).toBe(false);
    expect(test("ForAnyValue:StringNotEquals", ["a", "b"], ["a", "z"])).toBe(true);
    expect(test("ForAnyValue:StringNotEquals", ["a", "b"], ["a", "b"])).toBe(false);
  });

  it("treats a single-valued key as a one-element set", () => {
    expect(test("ForAnyValue:StringEquals", ["a", "b"], "b")).toBe(true);
    expect(test("ForAllValues:StringLike", "a*", "abc")).toBe(true);
  });

  it("combines with IfExists", () => {
    expect(test("ForAnyValue:StringEqualsIfExists", "a", undefined)).toBe(true);
    expect(test("ForAnyValue:StringEqualsIfExists", "a", ["b"])).toBe(false);
  });

  it("accepts the set prefixes case-insensitively", () => {
    expect(test("foranyvalue:stringequals", "a", ["a"])).toBe(true);
  });
});

describe("multivalued keys without a set operator", () => {
  it("do not hold, for positive and negated operators alike", () => {
    expect(test("StringEquals", "a", ["a"])).toBe(false);
    expect(test("StringNotEquals", "a", ["b"])).toBe(false);
    expect(test("StringLikeIfExists", "*", ["a"])).toBe(false);
  });
});

describe("combining tests", () => {
  it("ORs the values of one key", () => {
    expect(test("StringEquals", ["dev", "test"], "test")).toBe(true);
    expect(test("StringNotEquals", ["dev", "test"], "test")).toBe(false);
    expect(test("StringNotEquals", ["dev", "test"], "prod")).toBe(true);
  });

  it("ANDs keys within an operator and operators within a block", () => {
    const condition: Condition = {
      StringEquals: { "aws:PrincipalAccount": "111111111111", "s3:prefix": "home/" },
      Bool: { "aws:SecureTransport": "true" },
    };
    const context = { "aws:PrincipalAccount": "111111111111", "s3:prefix": "home/", "aws:SecureTransport": "true" };
    expect(holds(condition, context)).toBe(true);
    expect(holds(condition, { ...context, "s3:prefix": "tmp/" })).toBe(false);
    expect(holds(condition, { ...context, "aws:SecureTransport": "false" })).toBe(false);
  });

  it("holds for an empty or absent block", () => {
    expect(holds({}, {})).toBe(true);
    expect(conditionsHold(compileConditions(undefined, true), new RequestContext({}))).toBe(true);
  });

  it("looks condition keys up case-insensitively", () => {
    expect(holds({ StringEquals: { "AWS:PRINCIPALACCOUNT": "1" } }, { "aws:PrincipalAccount": "1" })).toBe(true);
  });

  it("matches operator names case-insensitively", () => {
    expect(holds({ stringequals: { k: "v" } }, { k: "v" })).toBe(true);
  });

  it("never holds for an unknown operator, even a negated-looking one", () => {
    expect(holds({ StringEqualz: { k: "v" } }, { k: "v" })).toBe(false);
    expect(holds({ StringNotEqualz: { k: "v" } }, {})).toBe(false);
    expect(holds({ NullIfExists: { k: "true" } }, {})).toBe(false);
  });
});

describe("policy variables in condition values", () => {
  it("substitutes variables for string and ARN operators", () => {
    const context = { "aws:username": "alice", "s3:prefix": "home/alice/docs", "aws:PrincipalAccount": "111111111111" };
    expect(holds({ StringLike: { "s3:prefix": "home/${aws:username}/*" } }, context)).toBe(true);
    expect(holds({ StringLike: { "s3:prefix": "home/${aws:username}/*" } }, { ...context, "aws:username": "bob" })).toBe(false);
    expect(
      holds(
        { ArnLike: { "aws:SourceArn": "arn:aws:s3:::${aws:PrincipalAccount}-*" } },
        { ...context, "aws:SourceArn": "arn:aws:s3:::111111111111-logs" },
      ),
    ).toBe(true);
  });

  it("does not substitute for other operators", () => {
    expect(holds({ NumericEquals: { n: "${aws:username}" } }, { n: "1", "aws:username": "1" })).toBe(false);
  });

  it("treats an unresolvable variable as matching nothing, so negations cannot hold", () => {
    expect(holds({ StringEquals: { k: ["${aws:username}", "v"] } }, { k: "v" })).toBe(true);
    expect(holds({ StringEquals: { k: "${aws:username}" } }, { k: "" })).toBe(false);
    expect(holds({ StringNotEquals: { k: "${aws:username}" } }, { k: "v" })).toBe(false);
  });

  it("keeps substituted wildcards literal", () => {
    expect(holds({ StringLike: { k: "${aws:username}" } }, { k: "anything", "aws:username": "*" })).toBe(false);
    expect(holds({ StringLike: { k: "${aws:username}" } }, { k: "*", "aws:username": "*" })).toBe(true);
    expect(holds({ StringLike: { k: "a${*}" } }, { k: "a*" })).toBe(true);
    expect(holds({ StringLike: { k: "a${*}" } }, { k: "ab" })).toBe(false);
  });

  it("leaves variables literal when variables are disabled (old policy versions)", () => {
    expect(holds({ StringEquals: { k: "${aws:username}" } }, { k: "${aws:username}", "aws:username": "alice" }, false)).toBe(true);
  });
});
