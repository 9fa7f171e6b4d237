import { describe, expect, it } from "vitest";
import { RequestContext } from "../../../../lib/local-aws/auth/policy/context.ts";
import { resolveVariables } from "../../../../lib/local-aws/auth/policy/variables.ts";
import { textOf } from "../../../../lib/local-aws/auth/policy/wildcard.ts";

const context = new RequestContext({
  "aws:username": "alice",
  "aws:PrincipalAccount": "111111111111",
  "aws:TagKeys": ["team", "env"],
  "aws:userid": "AIDAEXAMPLE",
});

const resolved = (text: string, variablesEnabled = true) => {
  const pieces = resolveVariables(text, context, variablesEnabled);
  return pieces && textOf(pieces);
};

describe("policy variables", () => {
  it("substitutes context values, looking keys up case-insensitively", () => {
    expect(resolved("arn:aws:s3:::bucket/home/${aws:username}/*")).toBe("arn:aws:s3:::bucket/home/alice/*");
    expect(resolved("${AWS:USERNAME}-${aws:principalaccount}")).toBe("alice-111111111111");
    expect(resolved("${aws:userid}")).toBe("AIDAEXAMPLE");
  });

  it("marks substituted values as literal and the surrounding text as pattern", () => {
    expect(resolveVariables("home/${aws:username}/*", context, true)).toEqual([
      { text: "home/", literal: false },
      { text: "alice", literal: true },
      { text: "/*", literal: false },
    ]);
  });

  it("resolves the ${*}, ${?} and ${$} escapes to literal characters", () => {
    expect(resolveVariables("a${*}b${?}c${$}", context, true)).toEqual([
      { text: "a", literal: false },
      { text: "*", literal: true },
      { text: "b", literal: false },
      { text: "?", literal: true },
      { text: "c", literal: false },
      { text: "$", literal: true },
    ]);
  });

  it("is unresolvable when the key is missing, unless a default is given", () => {
    expect(resolved("home/${aws:PrincipalTag/team}")).toBeUndefined();
    expect(resolved("home/${aws:PrincipalTag/team, 'shared'}")).toBe("home/shared");
    expect(resolved("home/${aws:username,'ignored'}")).toBe("home/alice");
  });

  it("is unresolvable for multivalued keys", () => {
    expect(resolved("${aws:TagKeys}")).toBeUndefined();
  });

  it("leaves text that is not a variable alone", () => {
    expect(resolved("a${b")).toBe("a${b");
    expect(resolved("${}")).toBe("${}");
    expect(resolved("${ a b }")).toBe("${ a b }");
    expect(resolved("plain")).toBe("plain");
  });

  it("matches variables literally in documents older than 2012-10-17", () => {
    expect(resolveVariables("home/${aws:username}", context, false)).toEqual([{ text: "home/${aws:username}", literal: false }]);
  });
});
