import { describe, expect, it } from "vitest";
import { matchesPattern, piecesOf, type PatternPiece } from "../../../../lib/local-aws/auth/policy/wildcard.ts";

const GLOB = { ignoreCase: false, arnSegments: false } as const;
const GLOB_IGNORE_CASE = { ignoreCase: true, arnSegments: false } as const;
const ARN = { ignoreCase: false, arnSegments: true } as const;

const glob = (pattern: string, value: string) => matchesPattern(piecesOf(pattern), value, GLOB);
const arn = (pattern: string, value: string) => matchesPattern(piecesOf(pattern), value, ARN);

describe("wildcard matching", () => {
  it("matches the whole string literally when there are no wildcards", () => {
    expect(glob("home/alice", "home/alice")).toBe(true);
    expect(glob("home/alice", "home/alice/")).toBe(false);
    expect(glob("home/alice", "Home/alice")).toBe(false);
  });

  it("treats * as any run of characters, including none", () => {
    expect(glob("home/*", "home/")).toBe(true);
    expect(glob("home/*", "home/a/b/c")).toBe(true);
    expect(glob("*", "")).toBe(true);
    expect(glob("a*b*c", "aXXbYYc")).toBe(true);
    expect(glob("a*b*c", "aXXbYY")).toBe(false);
  });

  it("treats ? as exactly one character", () => {
    expect(glob("file?.txt", "file1.txt")).toBe(true);
    expect(glob("file?.txt", "file.txt")).toBe(false);
    expect(glob("file?.txt", "file12.txt")).toBe(false);
  });

  it("does not treat regular-expression characters specially", () => {
    expect(glob("a.b+c(d)[e]{f}|^$\\", "a.b+c(d)[e]{f}|^$\\")).toBe(true);
    expect(glob("a.b", "aXb")).toBe(false);
  });

  it("matches across line breaks", () => {
    expect(glob("a*b", "a\nb")).toBe(true);
  });

  it("ignores case only when asked (actions)", () => {
    expect(matchesPattern(piecesOf("s3:get*"), "s3:GetObject", GLOB_IGNORE_CASE)).toBe(true);
    expect(matchesPattern(piecesOf("S3:GETOBJECT"), "s3:GetObject", GLOB_IGNORE_CASE)).toBe(true);
    expect(glob("s3:get*", "s3:GetObject")).toBe(false);
  });

  it("keeps literal pieces literal", () => {
    const pieces: PatternPiece[] = [
      { text: "home/", literal: false },
      { text: "*", literal: true },
      { text: "/*", literal: false },
    ];
    expect(matchesPattern(pieces, "home/*/x", GLOB)).toBe(true);
    expect(matchesPattern(pieces, "home/alice/x", GLOB)).toBe(false);
  });

  describe("ARN segments", () => {
    it("keeps wildcards in the first five segments inside their segment", () => {
      expect(arn("arn:aws:iam::*:role/admin", "arn:aws:iam::111111111111:role/admin")).toBe(true);
      expect(arn("arn:aws:*:role/admin", "arn:aws:iam::111111111111:role/admin")).toBe(true);
      expect(arn("arn:aws:s3:*:*:x", "arn:aws:s3:a:b:c:x")).toBe(false);
    });

    it("lets wildcards in the resource segment span colons and slashes", () => {
      expect(arn("arn:aws:logs:*:*:log-group:*", "arn:aws:logs:us-east-1:111111111111:log-group:/a/b:log-stream:x")).toBe(true);
      expect(arn("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b")).toBe(true);
    });

    it("is case-sensitive", () => {
      expect(arn("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/a")).toBe(false);
    });

    it("lets a pattern without six segments span them", () => {
      expect(arn("*", "arn:aws:s3:::bucket")).toBe(true);
      expect(arn("arn:aws:s3:::*", "arn:aws:s3:::bucket/key")).toBe(true);
    });
  });
});
