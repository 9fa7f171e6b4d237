import type { S3Client } from "@aws-sdk/client-s3";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatCsvRow, parseCsv } from "../automl/csv.ts";
import { DataFrame } from "danfojs-node";
import { pandasSampleIndices } from "./pandas-sample.ts";
import { readText } from "./s3-transfer.ts";

export const SAMPLE_DATA = { bucket: "sagemaker-sample-files", key: "datasets/tabular/synthetic/churn.txt" };

export interface Table {
  header: string[];
  rows: string[][];
}

export interface SplitData {
  train: Table;
  /** The held-back rows with their target. */
  test: Table;
}

export interface FeaturesAndTruth {
  /** The rows without the target, as the endpoint receives them. */
  features: Table;
  /** The target, row for row. */
  truth: string[];
}

export async function downloadDataSet(s3: S3Client, source = SAMPLE_DATA): Promise<string> {
  return readText(s3, source.bucket, source.key);
}

export function parseTable(csv: string): Table {
  const [header, ...rows] = parseCsv(csv);
  if (!header) throw new Error("the data set is empty");
  return { header, rows: rows.filter((row) => row.length === header.length) };
}

function targetIndexOf(table: Table, target: string): number {
  const index = table.header.indexOf(target);
  if (index < 0) throw new Error(`the data set has no column "${target}" (columns: ${table.header.join(", ")})`);
  return index;
}

/** The data set as a danfojs DataFrame; every column keeps the file's text, so CSVs written from it are byte-identical. */
export function toDataFrame(table: Table): DataFrame {
  return new DataFrame(table.rows, { columns: table.header, dtypes: table.header.map(() => "string") });
}

export function tableOf(frame: DataFrame): Table {
  return { header: [...frame.columns], rows: frame.values as string[][] };
}

/**
 * pandas' `frame.sample(frac, random_state)` and the rows it leaves out, on a DataFrame: the
 * sample in sample order with its original index (as pandas keeps it), the rest in original order.
 */
export function sampleFrame(frame: DataFrame, frac = 0.8, randomState = 200): { train: DataFrame; test: DataFrame } {
  const { train, test } = pandasSampleIndices(frame.index.length, frac, randomState);
  return { train: frame.iloc({ rows: train }), test: frame.iloc({ rows: test }) };
}

/** Rows per target value, as pandas' `value_counts()` gives them. */
export function classBalance(frame: DataFrame, target: string): Record<string, number> {
  if (!frame.columns.includes(target)) throw new Error(`the data set has no column "${target}" (columns: ${frame.columns.join(", ")})`);
  const counts = frame.column(target).valueCounts();
  return Object.fromEntries((counts.index as string[]).map((label, i) => [label, counts.values[i] as number]));
}

export function separateTarget(table: Table, target: string): FeaturesAndTruth {
  const targetIndex = targetIndexOf(table, target);
  const withoutTarget = (row: string[]) => row.filter((_, column) => column !== targetIndex);
  return { features: { header: withoutTarget(table.header), rows: table.rows.map(withoutTarget) }, truth: table.rows.map((row) => row[targetIndex]!) };
}

export function toCsv(table: Table, withHeader: boolean): string {
  const lines = table.rows.map(formatCsvRow);
  return `${(withHeader ? [formatCsvRow(table.header), ...lines] : lines).join("\n")}\n`;
}

export interface DataFiles {
  train: string;
  test: string;
}

/** `train_data.csv` (with header, as Autopilot wants) and `test_data.csv` (the held-back rows with their target). */
export function dataFiles(dir: string): DataFiles {
  return { train: join(dir, "train_data.csv"), test: join(dir, "test_data.csv") };
}

/** The held-back rows `writeDataFiles` wrote to `dir`, their features apart from their truth. */
export function readTestSet(dir: string, target: string): FeaturesAndTruth {
  return separateTarget(parseTable(readFileSync(dataFiles(dir).test, "utf8")), target);
}

export function writeDataFiles(dir: string, split: SplitData): DataFiles {
  mkdirSync(dir, { recursive: true });
  const files = dataFiles(dir);
  writeFileSync(files.train, toCsv(split.train, true));
  writeFileSync(files.test, toCsv(split.test, true));
  return files;
}
