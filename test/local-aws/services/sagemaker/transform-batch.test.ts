import { describe, expect, it } from "vitest";
import { Readable } from "node:stream";
import { formatCsvRow, parseCsv } from "../../../../lib/automl/index.ts";
import { ContainerFailure } from "../../../../lib/local-aws/services/sagemaker/serving/model.ts";
import { parseJsonPath } from "../../../../lib/local-aws/services/sagemaker/jsonpath-filter.ts";
import type { Answer, Invocation } from "../../../../lib/local-aws/services/sagemaker/serving/payload.ts";
import { RecordFailure, transformBatch, type TransformSettings } from "../../../../lib/local-aws/services/sagemaker/transform-batch.ts";
import { lineBatches, PayloadTooLarge } from "../../../../lib/local-aws/services/sagemaker/transform-io.ts";

/**
 * A model answering, for each row of numbers (CSV, or JSON lists), "big" or "small" by their sum and the sum, as
 * CSV lines or JSON; a payload it cannot read or a field that is not a number it refuses, as a container does.
 */
const calls: string[] = [];
function sumModel({ body, contentType, accept }: Invocation): Answer {
  const text = body.toString("utf8").replace(/\n$/, "");
  calls.push(body.toString("utf8"));
  let records: unknown[][];
  try {
    records = contentType === "text/csv" ? parseCsv(text) : text.split("\n").map((line) => JSON.parse(line) as unknown[]);
  } catch (error) {
    throw new ContainerFailure("primary", `could not read the payload: ${(error as Error).message}`);
  }
  const rows = records.map((fields, line) => {
    const numbers = fields.map(Number);
    if (numbers.some(Number.isNaN)) throw new ContainerFailure("primary", `line ${line + 1} holds a field that is not a number`);
    const sum = numbers.reduce((a, b) => a + b, 0);
    return { label: sum > 10 ? "big" : "small", sum };
  });
  if (accept === "application/json") return { contentType: accept, body: Buffer.from(JSON.stringify({ predictions: rows })) };
  if (accept === "application/jsonlines") return { contentType: accept, body: Buffer.from(rows.map((row) => JSON.stringify(row) + "\n").join("")) };
  return { contentType: "text/csv", body: Buffer.from(rows.map((row) => formatCsvRow([row.label, String(row.sum)]) + "\n").join("")) };
}

const settings = (overrides: Partial<TransformSettings> = {}): TransformSettings => ({
  contentType: "text/csv",
  accept: "",
  splitType: "Line",
  batchStrategy: "MultiRecord",
  assembleWith: "Line",
  joinInput: false,
  ...overrides,
});
const run = (overrides: Partial<TransformSettings>, text: string, firstLine = 1) => {
  calls.length = 0;
  return transformBatch(settings(overrides), sumModel, { text, firstLine });
};

describe("a transform job's mini-batch", () => {
  const rows = "1,2\n5,9\r\n3,3\n";

  it("sends MultiRecord batches whole and SingleRecord records one by one, with the same output", () => {
    expect(run({}, rows)).toBe("small,3\nbig,14\nsmall,6\n");
    expect(calls).toEqual([rows]);
    expect(run({ batchStrategy: "SingleRecord" }, rows)).toBe("small,3\nbig,14\nsmall,6\n");
    expect(calls).toEqual(["1,2", "5,9", "3,3"]);
  });

  it("assembles answers as they are with AssembleWith None, one line each with Line", () => {
    expect(run({ batchStrategy: "SingleRecord", accept: "application/json", assembleWith: "None" }, rows)).toBe(
      '{"predictions":[{"label":"small","sum":3}]}{"predictions":[{"label":"big","sum":14}]}{"predictions":[{"label":"small","sum":6}]}',
    );
    expect(run({ accept: "application/json" }, rows)).toBe('{"predictions":[{"label":"small","sum":3},{"label":"big","sum":14},{"label":"small","sum":6}]}\n');
  });

  it("joins CSV input and CSV output column by column, and filters input and output columns", () => {
    expect(run({ joinInput: true }, rows)).toBe("1,2,small,3\n5,9,big,14\n3,3,small,6\n");
    const withIds = "a,1,2\nb,5,9\n";
    expect(run({ joinInput: true, inputFilter: parseJsonPath("$[1:]"), outputFilter: parseJsonPath("$[0,-2]") }, withIds)).toBe("a,small\nb,big\n");
    expect(calls).toEqual(["1,2\n5,9\n"]);
    expect(run({ inputFilter: parseJsonPath("$[1:]") }, withIds)).toBe("small,3\nbig,14\n");
  });

  it("joins JSON answers to CSV rows under SageMakerInput and SageMakerOutput, and to JSON objects under SageMakerOutput", () => {
    const joined = run({ joinInput: true, accept: "application/jsonlines" }, "1,2\n");
    expect(JSON.parse(joined)).toEqual({ SageMakerInput: ["1", "2"], SageMakerOutput: { label: "small", sum: 3 } });
    // Autopilot's application/json answer lists a mini-batch's records under "predictions": each is its record's output.
    expect(run({ joinInput: true, accept: "application/json", outputFilter: parseJsonPath("$['SageMakerOutput']") }, rows).split("\n")).toEqual([
      '{"label":"small","sum":3}',
      '{"label":"big","sum":14}',
      '{"label":"small","sum":6}',
      "",
    ]);
    const objects = '{"id":"x","features":[4,8]}\n';
    const json = run({ contentType: "application/jsonlines", accept: "application/jsonlines", joinInput: true, inputFilter: parseJsonPath("$.features") }, objects);
    expect(calls).toEqual(["[4,8]\n"]);
    expect(JSON.parse(json)).toEqual({ id: "x", features: [4, 8], SageMakerOutput: { label: "big", sum: 12 } });
  });

  it("names the line the model refuses, within a whole mini-batch too", () => {
    const bad = "1,2\n3,x\n4,4\n";
    for (const batchStrategy of ["MultiRecord", "SingleRecord"] as const) {
      const failure = (() => {
        try {
          run({ batchStrategy }, bad, 40);
        } catch (error) {
          return error;
        }
      })();
      expect(failure).toBeInstanceOf(RecordFailure);
      expect(failure).toMatchObject({ lines: [41, 41], message: 'Received client error (400) from primary with message "line 1 holds a field that is not a number".' });
    }
  });

  it("names the line a filter cannot apply to, and a record that is not a CSV row", () => {
    expect(() => run({ inputFilter: parseJsonPath("$[2]") }, "1,2,3\n1,2\n", 7)).toThrow(expect.objectContaining({ lines: [8, 8], message: "$[2]: index 2 is outside the record's 2 elements" }));
    expect(() => run({ joinInput: true }, '1,2\n"3,4\n', 1)).toThrow(expect.objectContaining({ lines: [2, 2], message: expect.stringContaining("a quoted field is never closed") }));
    expect(() => run({ inputFilter: parseJsonPath("$[1:]") }, '1,2\n"3,4\n', 1)).toThrow(expect.objectContaining({ lines: [2, 2], message: expect.stringContaining("the record is not a CSV row") }));
  });

  it("refuses to join when the answers do not match the records one for one", () => {
    const oneAnswer = (): Answer => ({ contentType: "text/csv", body: Buffer.from("only\n") });
    expect(() => transformBatch(settings({ joinInput: true }), oneAnswer, { text: "1\n2\n", firstLine: 5 })).toThrow(expect.objectContaining({ lines: [5, 6], message: expect.stringContaining("answered 1 records for 2 input records") }));
  });
});

async function batchesOf(text: string, splitType: "None" | "Line", limit: number, fallback = limit, chunk = 3) {
  const chunks = Array.from({ length: Math.ceil(text.length / chunk) }, (_, i) => Buffer.from(text.slice(i * chunk, (i + 1) * chunk)));
  const batches = [];
  for await (const batch of lineBatches(Readable.from(chunks), splitType, limit, fallback)) batches.push({ text: batch.bytes.toString(), firstLine: batch.firstLine, lines: batch.lines });
  return batches;
}

describe("cutting an input object into mini-batches", () => {
  it("packs whole lines up to the payload limit, numbering their first lines", async () => {
    expect(await batchesOf("aa\nbb\ncc\ndddd\ne", "Line", 6)).toEqual([
      { text: "aa\nbb\n", firstLine: 1, lines: 2 },
      { text: "cc\n", firstLine: 3, lines: 1 },
      { text: "dddd\ne", firstLine: 4, lines: 2 },
    ]);
  });

  it("fails a line longer than the limit, naming it, and an object too large to send whole", async () => {
    await expect(batchesOf("aa\nbbbbbbbbbb\ncc\n", "Line", 6)).rejects.toEqual(expect.objectContaining({ line: 2 }));
    await expect(batchesOf("aa\nbb\ncc\n", "None", 6)).rejects.toBeInstanceOf(PayloadTooLarge);
    expect(await batchesOf("aa\nbb\n", "None", 6)).toEqual([{ text: "aa\nbb\n", firstLine: 1, lines: 2 }]);
  });

  it("without a limit (MaxPayloadInMB 0) sends a long line whole", async () => {
    expect(await batchesOf("aa\nbbbbbbbbbb\ncc\n", "Line", Number.POSITIVE_INFINITY, 6)).toEqual([
      { text: "aa\n", firstLine: 1, lines: 1 },
      { text: "bbbbbbbbbb\n", firstLine: 2, lines: 1 },
      { text: "cc\n", firstLine: 3, lines: 1 },
    ]);
  });
});
