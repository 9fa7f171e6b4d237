import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { classBalance, parseTable, sampleFrame, separateTarget, tableOf, toCsv, toDataFrame } from "../../lib/flow/data-set.ts";

const churn = parseTable(readFileSync(new URL("../../data/churn.txt", import.meta.url), "utf8"));
const splitTable = () => {
  const { train, test } = sampleFrame(toDataFrame(churn));
  return { train: tableOf(train), test: tableOf(test) };
};

describe("the data set", () => {
  it("splits 80/20 as pandas' sample(frac=0.8, random_state=200), row for row", () => {
    const { train, test } = splitTable();
    expect(train.rows).toHaveLength(4000);
    expect(test.rows).toHaveLength(1000);
    expect(train.rows.slice(0, 3)).toEqual([churn.rows[3019], churn.rows[2198], churn.rows[432]]);
    expect(test.rows.slice(0, 5)).toEqual([2, 17, 18, 37, 39].map((i) => churn.rows[i]));
  });

  it("keeps the test rows with and without the target", () => {
    const { test } = splitTable();
    const { features, truth } = separateTarget(test, "Churn?");
    expect(features.header).not.toContain("Churn?");
    expect(features.rows[0]).toEqual(test.rows[0]!.slice(0, -1));
    expect(truth[0]).toBe(test.rows[0]!.at(-1));
    expect(new Set(truth)).toEqual(new Set(["True.", "False."]));
  });

  it("loads into a danfojs DataFrame that keeps pandas' index through the split, and counts the classes", () => {
    const frame = toDataFrame(churn);
    expect(frame.shape).toEqual([5000, 21]);
    expect(classBalance(frame, "Churn?")).toEqual({ "True.": 2498, "False.": 2502 });
    const { train, test } = sampleFrame(frame);
    expect(train.index.slice(0, 3)).toEqual([3019, 2198, 432]);
    expect(test.index.slice(0, 5)).toEqual([2, 17, 18, 37, 39]);
    expect(() => classBalance(frame, "Nope")).toThrow('the data set has no column "Nope"');
  });

  it("writes CSV that reads back to the same text, with or without the header", () => {
    const text = readFileSync(new URL("../../data/churn.txt", import.meta.url), "utf8");
    expect(toCsv(churn, true)).toBe(`${text}\n`);
    expect(toCsv({ header: ["a"], rows: [["1"], ["2"]] }, false)).toBe("1\n2\n");
  });

  it("names the columns when the target is missing", () => {
    expect(() => separateTarget({ header: ["a", "b"], rows: [] }, "Churn?")).toThrow('the data set has no column "Churn?" (columns: a, b)');
  });
});
