import { describe, expect, it } from "vitest";
import { parseJsonPath, selectJsonPath, unexpectedCharacter, unexpectedCharacterMessage } from "../../../../lib/local-aws/services/sagemaker/jsonpath-filter.ts";

const select = (expression: string, record: unknown) => selectJsonPath(parseJsonPath(expression), record);
const row = ["id-7", "a", "b", "c", "d", "e"];

describe("the JSONPath subset of batch transform's DataProcessing", () => {
  it("selects CSV columns by index, negative index and inclusive slices", () => {
    expect(select("$", row)).toEqual(row);
    expect(select("$[0]", row)).toBe("id-7");
    expect(select("$[-1]", row)).toBe("e");
    expect(select("$[1:]", row)).toEqual(["a", "b", "c", "d", "e"]);
    // "$[1:4] specifies the second through fifth columns"; "[:5] ... the first column (index 0) through the sixth column".
    expect(select("$[1:4]", row)).toEqual(["a", "b", "c", "d"]);
    expect(select("$[:5]", row)).toEqual(row);
    expect(select("$[0,2:3]", row)).toEqual(["id-7", "b", "c"]);
    expect(select("$[0,-1]", row)).toEqual(["id-7", "e"]);
    expect(select("$[1,3,5]", row)).toEqual(["a", "c", "e"]);
    expect(select("$[ 0 , 4: ]", row)).toEqual(["id-7", "d", "e"]);
    expect(select("$[-2:]", row)).toEqual(["d", "e"]);
    expect(select("$[4:100]", row)).toEqual(["d", "e"]);
    expect(select("$[*]", row)).toEqual(row);
  });

  it("selects JSON attributes by dot and bracket notation, several at once, and wildcards", () => {
    const record = { id: 3, features: [1, 2, 3], SageMakerOutput: { predicted_label: "yes", probability: 0.9 } };
    expect(select("$.id", record)).toBe(3);
    expect(select("$.features", record)).toEqual([1, 2, 3]);
    expect(select("$.features[1:]", record)).toEqual([2, 3]);
    expect(select("$['SageMakerOutput']", record)).toEqual(record.SageMakerOutput);
    expect(select("$['id','SageMakerOutput']", record)).toEqual({ id: 3, SageMakerOutput: record.SageMakerOutput });
    expect(select("$.SageMakerOutput.['probability','predictedlabel']", record)).toEqual({ probability: 0.9 });
    expect(select("$.SageMakerOutput.*", record)).toEqual(["yes", 0.9]);
    expect(select("$.*", { a: 1, b: [2] })).toEqual([1, [2]]);
    expect(select("$[*].a", [{ a: 1 }, { b: 2 }, { a: 3 }])).toEqual([1, 3]);
  });

  it("fails a record that lacks what a path names, as AWS errs on indexes outside the record", () => {
    expect(() => select("$[6]", row)).toThrow("index 6 is outside the record's 6 elements");
    expect(() => select("$[0,-7]", row)).toThrow("index -7 is outside");
    expect(() => select("$.id", row)).toThrow("an array has no attribute id");
    expect(() => select("$[0]", { id: 1 })).toThrow("is not an array");
    expect(() => select("$.missing", { id: 1 })).toThrow("no attribute missing");
  });

  it("refuses paths AWS does not support, in AWS's words where known", () => {
    expect(() => parseJsonPath("$[0:2,246:]")).toThrow("Invalid JsonPath: $[0:2,246:]: only single range filters of format (eg: [1:5]) are supported. Format [0:2,246:] is not supported");
    expect(() => parseJsonPath("[0]")).toThrow("Invalid JsonPath: [0]: a path starts at the root, $");
    expect(() => parseJsonPath("$[0")).toThrow("is never closed");
    expect(() => parseJsonPath("$[1:5:2]")).toThrow("Invalid JsonPath");
    expect(() => parseJsonPath("$..id")).toThrow("Invalid JsonPath");
    expect(() => parseJsonPath("$[?(@.a)]")).toThrow("Invalid JsonPath");
  });

  it("finds the characters CreateTransformJob refuses, and words the refusal as AWS does", () => {
    expect(unexpectedCharacter("$['id','SageMakerOutput']")).toBeUndefined();
    expect(unexpectedCharacter("$[1:]")).toBeUndefined();
    expect(unexpectedCharacter("$['account_id']")).toBe("_");
    expect(unexpectedCharacter("$..id")).toBeUndefined();
    expect(unexpectedCharacter("$[?(@.a)]")).toBe("?");
    expect(unexpectedCharacterMessage("OutputFilter", "$['account_id','SageMakerOutput']", "_", "application/jsonlines")).toBe(
      `Invalid OutputFilter: "$['account_id','SageMakerOutput']". Unexpected "_" in JsonPath. Supported operators for "application/jsonlines" are ['$', '[', ']', '*', '.', ' ', ',', ':', '-', '''].`,
    );
  });
});
