import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { formatCsvRow, parseCsv } from "../automl/csv.ts";
import { pandasSampleIndices } from "./pandas-sample.ts";

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
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: source.key }));
  if (!Body) throw new Error(`s3://${source.bucket}/${source.key} answered without a body`);
  return Body.transformToString("utf8");
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

/** The blog's `churn.sample(frac=0.8, random_state=200)` and the rows it leaves out (in their original order), row for row. */
export function splitTable(table: Table, frac = 0.8, randomState = 200): SplitData {
  const { train, test } = pandasSampleIndices(table.rows.length, frac, randomState);
  const pick = (indices: number[]) => ({ header: table.header, rows: indices.map((i) => table.rows[i]!) });
  return { train: pick(train), test: pick(test) };
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

export function writeDataFiles(dir: string, split: SplitData): DataFiles {
  mkdirSync(dir, { recursive: true });
  const files = dataFiles(dir);
  writeFileSync(files.train, toCsv(split.train, true));
  writeFileSync(files.test, toCsv(split.test, true));
  return files;
}
