import { describe, expect, it } from "vitest";
import { comparePredictions, describeAgreement, parseJoinedOutput, transformOutputKey } from "../../lib/flow/batch-output.ts";
import { transformJobRequest } from "../../lib/flow/batch-transform.ts";
import { CLASSIFICATION_KEYS } from "../../lib/flow/deploy.ts";

const rows = [
  ["KS", "128", "415", "382-4657"],
  ["OH", "107", "415", "371-7191"],
];

describe("a transform job's joined output", () => {
  it("reads each row's predicted_label, probabilities and labels as Autopilot's containers print them in CSV", () => {
    const csv = `KS,128,415,382-4657,False.,"[0.9, 0.1]","['False.', 'True.']"\nOH,107,415,371-7191,True.,"[0.25, 0.75]","[""O'Neil"", 'True.']"\n`;
    expect(parseJoinedOutput(csv, rows, CLASSIFICATION_KEYS)).toEqual([
      { label: "False.", probabilities: [0.9, 0.1], labels: ["False.", "True."] },
      { label: "True.", probabilities: [0.25, 0.75], labels: ["O'Neil", "True."] },
    ]);
  });

  it("reads a regression model's one default field as the label", () => {
    expect(parseJoinedOutput("KS,128,415,382-4657,3.5\nOH,107,415,371-7191,-1e-3\n", rows, [])).toEqual([{ label: "3.5" }, { label: "-1e-3" }]);
  });

  it.each([
    ["a line short", `KS,128,415,382-4657,False.,"[0.9, 0.1]","['False.', 'True.']"\n`, "the transform job wrote 1 line(s) for 2 input row(s)"],
    ["a line not joined to its row", `OH,107,415,371-7191,True.,"[0.2, 0.8]","['False.', 'True.']"\nKS,128,415,382-4657,False.,"[0.9, 0.1]","['False.', 'True.']"\n`, 'output line 1 is not joined to input row 1: field 1 is "OH", the row\'s is "KS"'],
    ["an answer without its join", `False.,"[0.9, 0.1]","['False.', 'True.']"\nTrue.,"[0.2, 0.8]","['False.', 'True.']"\n`, "output line 1 has 3 fields; its input row's 4 and 3 answer field(s) were expected"],
    ["probabilities that are not numbers", `KS,128,415,382-4657,False.,"[0.9, x]","['False.', 'True.']"\nOH,107,415,371-7191,True.,"[0.2, 0.8]","['False.', 'True.']"\n`, 'output line 1: probabilities "[0.9, x]" is not a list of numbers'],
    ["labels that are not a quoted list", `KS,128,415,382-4657,False.,"[0.9, 0.1]","[False., True.]"\nOH,107,415,371-7191,True.,"[0.2, 0.8]","['False.', 'True.']"\n`, 'output line 1: labels "[False., True.]" is not a list of quoted labels'],
    ["as many probabilities as labels", `KS,128,415,382-4657,False.,"[0.9, 0.1]","['False.']"\nOH,107,415,371-7191,True.,"[0.2, 0.8]","['False.', 'True.']"\n`, "output line 1: 2 probabilities for 1 labels"],
  ])("refuses %s, saying where", (_, csv, message) => {
    expect(() => parseJoinedOutput(csv, rows, CLASSIFICATION_KEYS)).toThrow(message);
  });

  it("is named after its input object, with .out", () => {
    expect(transformOutputKey("p/batch/j/output/", "p/batch/j/input/test_features.csv")).toBe("p/batch/j/output/test_features.csv.out");
  });
});

describe("the endpoint's and the transform job's answers compared", () => {
  const answer = (label: string, p: number) => ({ label, probabilities: [1 - p, p], labels: ["False.", "True."] });

  it("agree when every label and probability does, and name the rows that differ", () => {
    const endpoint = [answer("False.", 0.1), answer("True.", 0.8), answer("True.", 0.6)];
    expect(comparePredictions(endpoint, [answer("False.", 0.1), answer("True.", 0.8), answer("True.", 0.6)])).toEqual({ rows: 3, differing: [] });
    const agreement = comparePredictions(endpoint, [answer("False.", 0.1), answer("True.", 0.8 + 1e-6), answer("False.", 0.6)]);
    expect(agreement).toEqual({ rows: 3, differing: [2, 3] });
    expect(describeAgreement(agreement)).toBe("the transform job and the endpoint disagree on 2 of 3 rows (rows 2, 3)");
    expect(() => comparePredictions(endpoint, endpoint.slice(1))).toThrow("3 predictions against 2: not the same rows");
  });
});

describe("the transform job's request", () => {
  it("asks for CSV in and out, a record per line, answers joined to their rows, on one instance", () => {
    expect(transformJobRequest({ name: "j", model: "m", inputUri: "s3://b/in/", outputUri: "s3://b/out/", instanceType: "ml.m5.large" })).toEqual({
      TransformJobName: "j",
      ModelName: "m",
      TransformInput: { DataSource: { S3DataSource: { S3DataType: "S3Prefix", S3Uri: "s3://b/in/" } }, ContentType: "text/csv", SplitType: "Line" },
      TransformOutput: { S3OutputPath: "s3://b/out/", Accept: "text/csv", AssembleWith: "Line" },
      TransformResources: { InstanceType: "ml.m5.large", InstanceCount: 1 },
      DataProcessing: { JoinSource: "Input" },
    });
  });
});
