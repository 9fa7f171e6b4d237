import type { ColumnProfile, DataAnalysis, Table } from "../../../../automl/index.ts";
import { dataInsights, type DataInsight } from "./data-insights.ts";
import { profileDataset, type DatasetProfile, type NumericSummary } from "./dataset-profile.ts";
import type { AutopilotJobDescription } from "./job-description.ts";
import { escapeMarkdown as md, formatNumber, formatPercent, markdownTable } from "./markdown.ts";
import { code, markdown, notebook, type Notebook } from "./nbformat.ts";
import { pythonLiteral } from "./python.ts";

/**
 * The job's data exploration report
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/autopilot-data-exploration-report.html): dataset
 * summary, insights graded high or low, target analysis, a data sample, duplicate rows and per-column
 * statistics, as static markdown holding the values the job computed. Code cells at the end redo the
 * analysis with pandas; they touch S3 only when asked to, so the notebook runs headless offline.
 */
export function dataExplorationNotebook(input: { job: AutopilotJobDescription; analysis: DataAnalysis; table: Table }): Notebook {
  const { job, analysis, table } = input;
  const profile = profileDataset(table, analysis);
  const insights = dataInsights(analysis, profile);
  return notebook([
    markdown(
      `# Data exploration: ${md(job.jobName)}`,
      "",
      `The SageMaker Autopilot job **${md(job.jobName)}** analysed the data under \`${job.inputS3Uri}\` to predict **${md(job.target)}** ` +
        `(${job.problemType}, ${analysis.target.problemTypeInferred ? "inferred from the target's values" : "as the job was asked"}). ` +
        "This report holds the values the job computed; it needs no kernel to read. The cells at the end redo the analysis with pandas.",
    ),
    markdown(...datasetSummary(analysis, profile, insights)),
    markdown(...decisionSection(analysis)),
    markdown(...insightSection(insights)),
    markdown(...targetSection(analysis, profile)),
    markdown(...sampleSection(table, profile)),
    markdown(...columnSection(analysis)),
    markdown(...numericSection(profile.numericColumns)),
    markdown(...definitions()),
    ...reproductionCells(job, analysis),
  ]);
}

function datasetSummary(analysis: DataAnalysis, profile: DatasetProfile, insights: DataInsight[]): string[] {
  const kinds = countBy(analysis.columns.filter((column) => column.role === "feature"), (column) => column.kind);
  const dropped = analysis.columns.filter((column) => column.role === "dropped").length;
  return [
    "## Dataset summary",
    "",
    markdownTable(["", "value"], [
      ["Rows", String(profile.rows)],
      ["Rows with a target value (trained on)", String(analysis.rows)],
      ["Missing target values", `${analysis.target.missing} (${formatPercent(analysis.target.missing / profile.rows)})`],
      ["Duplicate rows", `${profile.duplicateRows} (${formatPercent(profile.duplicateRows / profile.rows)})`],
      ["Columns", String(analysis.columns.length)],
      ["Feature columns", Object.entries(kinds).map(([kind, count]) => `${count} ${kind}`).join(", ") || "none"],
      ["Dropped columns", String(dropped)],
      ["Insights", `${insights.filter((insight) => insight.severity === "high").length} high severity, ${insights.filter((insight) => insight.severity === "low").length} low severity`],
    ]),
  ];
}

function decisionSection(analysis: DataAnalysis): string[] {
  return ["## How the data was read", "", "Every decision the job took reading and typing the data:", "", ...analysis.decisions.map((decision) => `- ${md(decision)}`)];
}

function insightSection(insights: DataInsight[]): string[] {
  if (insights.length === 0) return ["## Insights", "", "Nothing in the data calls for attention."];
  return [
    "## Insights",
    "",
    ...insights.map((insight) => `- **${insight.severity === "high" ? "High" : "Low"} severity: ${md(insight.title)}.** ${md(insight.detail)}`),
  ];
}

function targetSection(analysis: DataAnalysis, profile: DatasetProfile): string[] {
  const heading = [`## Target analysis: ${md(analysis.target.name)}`, ""];
  if (profile.target.kind === "values") {
    return [...heading, "The target's values over the rows trained on:", "", numericTable([profile.target.summary])];
  }
  const positive = analysis.target.problemType === "BinaryClassification" ? ` The positive class (the minority class, as Autopilot encodes it) is "${md(analysis.target.labels[1]!)}".` : "";
  return [
    ...heading,
    `${profile.target.classes.length} classes.${positive}`,
    "",
    markdownTable(["label", "rows", "share"], profile.target.classes.map(({ label, count, share }) => [md(label), String(count), formatPercent(share)])),
  ];
}

function sampleSection(table: Table, profile: DatasetProfile): string[] {
  const rowsTable = (rows: string[][]) => markdownTable(table.header.map(md), rows.map((row) => row.map(md)));
  const duplicates =
    profile.duplicateRows === 0
      ? ["No row repeats another."]
      : [`${profile.duplicateRows} rows repeat an earlier row; the first of them:`, "", rowsTable(profile.duplicateSample)];
  return ["## Data sample", "", `The first ${profile.sample.length} rows:`, "", rowsTable(profile.sample), "", "## Duplicate rows", "", ...duplicates];
}

function columnSection(analysis: DataAnalysis): string[] {
  const role = (column: ColumnProfile) => (column.role === "dropped" ? `dropped: ${column.reason}` : column.role);
  return [
    "## Columns",
    "",
    "Each column's inferred type and role, over the rows with a target value (the target's own missing values over every row). " +
      "Unreadable values are those of a numeric or date column that are not numbers or dates: the engine reads them as missing.",
    "",
    markdownTable(
      ["column", "type", "role", "missing", "missing %", "distinct values", "unreadable values"],
      analysis.columns.map((column) => {
        const rows = column.role === "target" ? analysis.rows + analysis.target.missing : analysis.rows;
        const unreadable = (column.role === "target" ? analysis.target.unreadable : column.unreadable)?.count ?? 0;
        return [md(column.name), column.kind, md(role(column)), String(column.missing), formatPercent(column.missing / rows), String(column.distinct), String(unreadable)];
      }),
    ),
  ];
}

function numericSection(summaries: NumericSummary[]): string[] {
  if (summaries.length === 0) return ["## Numeric columns", "", "No numeric feature column."];
  return ["## Numeric columns", "", numericTable(summaries)];
}

function numericTable(summaries: NumericSummary[]): string {
  return markdownTable(
    ["column", "values", "mean", "std", "min", "median", "max", "outliers"],
    summaries.map((s) => [md(s.name), String(s.present), ...[s.mean, s.standardDeviation, s.min, s.median, s.max].map(formatNumber), formatPercent(s.outlierShare)]),
  );
}

function definitions(): string[] {
  return [
    "## Definitions",
    "",
    "- **Missing**: an empty field or, in any case and with surrounding spaces, `na`, `n/a`, `nan`, `null`, `none` or `?`.",
    "- **Type**: `numeric` when the present values are numbers, all but at most 5% of them (those are read as missing); " +
      "`boolean` for yes/no, true/false, y/n, t/f; `date` when the present values are dates (2024-03-05, 05/03/2024, with or without a time), " +
      "all but at most 5%, learned from as year, month, day of month, day of week, day of year, time of day and days since 1970-01-01; " +
      "`categorical` otherwise. `id` columns (text unique to at least 95% of rows, or consecutive integers one per row) and `constant` columns are dropped.",
    "- **Duplicate row**: a row equal field for field to an earlier one.",
    "- **Outliers**: values below the first quartile or above the third by more than 1.5 interquartile ranges (Tukey's fences).",
    "- **std**: the sample standard deviation (n − 1 in the denominator), as pandas' `describe()`.",
  ];
}

/** Missing-value spellings of the engine (lib/automl/analysis/values.ts), for the pandas cells. */
const MISSING_TOKENS = ["", "na", "n/a", "nan", "null", "none", "?"];

function reproductionCells(job: AutopilotJobDescription, analysis: DataAnalysis) {
  const numeric = analysis.columns.filter((column) => column.role === "feature" && column.kind === "numeric").map((column) => column.name);
  const regression = analysis.target.problemType === "Regression";
  return [
    markdown(
      "## Redo the analysis with pandas",
      "",
      "The cells below read the job's data and recompute the counts above. They read nothing unless asked: " +
        "set `LOCAL_COPY` (or the environment variable `AUTOPILOT_DATA_CSV`) to a local copy of the CSV, or `LOAD_FROM_S3 = True` " +
        "to read every object under the input prefix with boto3 (`AWS_ENDPOINT_URL` points it at a local AWS).",
    ),
    code(
      "import os",
      "",
      `INPUT_S3_URI = ${pythonLiteral(job.inputS3Uri)}`,
      `TARGET = ${pythonLiteral(job.target)}`,
      `NUMERIC_COLUMNS = ${pythonLiteral(numeric)}`,
      `NUMERIC_TARGET = ${pythonLiteral(analysis.target.numericLabels || regression)}`,
      `MISSING_TOKENS = set(${pythonLiteral(MISSING_TOKENS)})`,
      'LOCAL_COPY = os.environ.get("AUTOPILOT_DATA_CSV")',
      "LOAD_FROM_S3 = False",
      'ENDPOINT_URL = os.environ.get("AWS_ENDPOINT_URL")',
    ),
    code(
      "def read_input():",
      "    import io",
      "    import pandas as pd",
      "    if LOCAL_COPY:",
      "        return pd.read_csv(LOCAL_COPY, dtype=str, keep_default_na=False)",
      "    if not LOAD_FROM_S3:",
      "        return None",
      "    import boto3",
      '    bucket, _, prefix = INPUT_S3_URI[len("s3://"):].partition("/")',
      '    s3 = boto3.client("s3", endpoint_url=ENDPOINT_URL)',
      "    frames = []",
      '    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):',
      '        for item in page.get("Contents", []):',
      '            if not item["Key"].endswith("/"):',
      '                body = s3.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()',
      "                frames.append(pd.read_csv(io.BytesIO(body), dtype=str, keep_default_na=False))",
      "    return pd.concat(frames, ignore_index=True)",
      "",
      "",
      "data = read_input()",
      'print("No data read: set LOCAL_COPY or LOAD_FROM_S3 above." if data is None else f"{len(data)} rows, {len(data.columns)} columns")',
    ),
    code(
      "if data is not None:",
      "    import json",
      "    import pandas as pd",
      "    missing = data.apply(lambda column: column.str.strip().str.lower().isin(MISSING_TOKENS))",
      "    # Numbers as the engine reads them: anything else, inf included, is missing.",
      "    to_number = lambda column: pd.to_numeric(column, errors=\"coerce\").replace([float(\"inf\"), float(\"-inf\")], float(\"nan\"))",
      "    # A numeric target's values that are not numbers are left out, as missing ones are.",
      "    target_values = to_number(data[TARGET].where(~missing[TARGET])) if NUMERIC_TARGET else None",
      "    no_target = target_values.isna() if NUMERIC_TARGET else missing[TARGET]",
      "    labelled, labelled_missing = data[~no_target], missing[~no_target]",
      "    distinct = {name: int(labelled[name][~labelled_missing[name]].str.strip().nunique()) for name in data.columns}",
      "    summary = {",
      '        "rows": len(data),',
      '        "rows_with_target": len(labelled),',
      '        "missing_target": int(missing[TARGET].sum()),',
      '        "duplicate_rows": int(data.duplicated().sum()),',
      '        "missing": {name: int(labelled_missing[name].sum()) for name in data.columns if name != TARGET},',
      '        "distinct": distinct,',
      "    }",
      "    print(json.dumps(summary, indent=1))",
      "    numbers = labelled[NUMERIC_COLUMNS].apply(lambda column: to_number(column.where(~labelled_missing[column.name])))",
      "    print(numbers.describe().T.to_string())",
      regression
        ? "    print(target_values[~no_target].describe().to_string())"
        : analysis.target.numericLabels
          ? "    print(target_values[~no_target].value_counts().sort_index().to_string())  # labels by value: 1 and 1.0 are one class"
          : "    print(labelled[TARGET].str.strip().value_counts().sort_index().to_string())",
    ),
  ];
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}
