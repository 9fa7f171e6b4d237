import { describe, expect, it } from "vitest";
import { batchNames, defaultBucket, hostingNames, isValidJobName, isValidResourceName, jobNameAt } from "../../lib/flow/names.ts";

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

  it("names each run of the batch step's transform job and model anew, after the job and the candidate as hosting is", () => {
    expect(batchNames("churn-20261122-090507-a1b2", "c3d4")).toEqual({ transformJob: "churn-20261122-090507-a1b2-batch-c3d4", model: "churn-20261122-090507-a1b2-batch-c3d4-model" });
    const chosen = batchNames("churn-20261122-090507-a1b2", "c3d4", "WeightedEnsemble-L2-FULL-t2-churn-20261122-090507-a1b2");
    expect(chosen.model).toMatch(new RegExp(`^${hostingNames("churn-20261122-090507-a1b2", "WeightedEnsemble-L2-FULL-t2-churn-20261122-090507-a1b2").model.replace(/-model$/, "")}-batch-c3d4-model$`));
    expect(Object.values(chosen).every(isValidResourceName)).toBe(true);
    expect(() => batchNames("churn-20261122-090507-a1b2", "not_valid")).toThrow('"churn-20261122-090507-a1b2-batch-not_valid" is not a valid SageMaker name');
  });

  it("names the default bucket as the SageMaker SDK does", () => {
    expect(defaultBucket("us-east-1", "111111111111")).toBe("sagemaker-us-east-1-111111111111");
  });
});
