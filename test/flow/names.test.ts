import { describe, expect, it } from "vitest";
import { defaultBucket, hostingNames, isValidJobName, isValidResourceName, jobNameAt } from "../../lib/flow/names.ts";

describe("names", () => {
  it("makes job names with a UTC timestamp that SageMaker accepts", () => {
    const name = jobNameAt(new Date("2026-11-22T09:05:07.123Z"), "a1b2");
    expect(name).toBe("churn-20261122-090507-a1b2");
    expect(name.length).toBeLessThanOrEqual(32);
    expect(isValidJobName(name)).toBe(true);
  });

  it("refuses a suffix that would make the job name invalid", () => {
    expect(() => jobNameAt(new Date(), "too-long-suffix")).toThrow(/not valid/);
    expect(() => jobNameAt(new Date(), "bad_")).toThrow(/not valid/);
  });

  it.each([
    ["churn", true],
    ["a".repeat(32), true],
    ["a".repeat(33), false],
    ["-churn", false],
    ["churn-", false],
    ["churn_1", false],
    ["", false],
  ])("job name %j valid: %s", (name, valid) => expect(isValidJobName(name)).toBe(valid));

  it("derives hosting names that stay valid for the longest job name", () => {
    const names = hostingNames("churn-20261122-090507-a1b2");
    expect(Object.values(names).every(isValidResourceName)).toBe(true);
    expect(names).toEqual({ model: "churn-20261122-090507-a1b2-model", endpointConfig: "churn-20261122-090507-a1b2-config", endpoint: "churn-20261122-090507-a1b2-endpoint" });
  });

  it("names the default bucket as the SageMaker SDK does", () => {
    expect(defaultBucket("us-east-1", "111111111111")).toBe("sagemaker-us-east-1-111111111111");
  });
});
