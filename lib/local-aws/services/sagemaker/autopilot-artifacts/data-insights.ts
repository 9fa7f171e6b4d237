import type { DataAnalysis } from "../../../../automl/index.ts";
import type { DatasetProfile } from "./dataset-profile.ts";
import { formatPercent } from "./markdown.ts";

/**
 * A finding about the data, graded as Autopilot's data report grades its insights: "high" when
 * it likely hurts the model, "low" when it is worth a look
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/autopilot-data-exploration-report.html).
 * AWS does not publish its thresholds; the ones below are this engine's.
 */
export interface DataInsight {
  severity: "high" | "low";
  title: string;
  detail: string;
  /** The columns it is about, if any. */
  columns: string[];
}

/** The rarest class below this share of the most frequent one is an imbalance worth a look... */
const IMBALANCE_LOW = 0.25;
/** ...and below this one a serious imbalance. */
const IMBALANCE_HIGH = 0.1;
const MISSING_LOW = 0.2;
const MISSING_HIGH = 0.5;
/** Regression targets with more outliers than this share are heavy-tailed. */
const TARGET_OUTLIERS = 0.05;
/** Classification targets with more classes than this have few rows per class to learn from. */
const MANY_CLASSES = 100;

export function dataInsights(analysis: DataAnalysis, profile: DatasetProfile): DataInsight[] {
  return [...targetInsights(analysis, profile), ...columnInsights(analysis), ...duplicateInsights(profile)].sort(
    (a, b) => (a.severity === b.severity ? 0 : a.severity === "high" ? -1 : 1),
  );
}

function targetInsights(analysis: DataAnalysis, profile: DatasetProfile): DataInsight[] {
  const { target } = analysis;
  const insights: DataInsight[] = [];
  if (target.missing > 0) {
    insights.push({
      severity: "low",
      title: "Missing target values",
      detail: `${target.missing} of ${profile.rows} rows (${formatPercent(target.missing / profile.rows)}) have no value in "${target.name}"; they are left out of training.`,
      columns: [target.name],
    });
  }
  if (profile.target.kind === "classes") {
    const classes = profile.target.classes;
    const largest = classes.reduce((a, b) => (b.count > a.count ? b : a));
    const smallest = classes.reduce((a, b) => (b.count < a.count ? b : a));
    const ratio = smallest.count / largest.count;
    if (ratio < IMBALANCE_LOW) {
      insights.push({
        severity: ratio < IMBALANCE_HIGH ? "high" : "low",
        title: "Class imbalance",
        detail:
          `Class "${smallest.label}" has ${smallest.count} rows (${formatPercent(smallest.share)}), against ${largest.count} for "${largest.label}". ` +
          `Accuracy flatters a model on imbalanced data: judge it by F1, balanced accuracy or AUC, and do not up-sample rows before the job, which skews validation.`,
        columns: [target.name],
      });
    }
    if (classes.length > MANY_CLASSES) {
      insights.push({ severity: "low", title: "Many target classes", detail: `"${target.name}" has ${classes.length} classes; each has few rows to learn from.`, columns: [target.name] });
    }
  } else if (profile.target.summary.outlierShare > TARGET_OUTLIERS) {
    insights.push({
      severity: "low",
      title: "Outlying target values",
      detail: `${formatPercent(profile.target.summary.outlierShare)} of the target values lie beyond 1.5 interquartile ranges from the quartiles; a heavy tail pulls squared-error models towards it.`,
      columns: [target.name],
    });
  }
  return insights;
}

function columnInsights(analysis: DataAnalysis): DataInsight[] {
  return analysis.columns.flatMap((column): DataInsight[] => {
    if (column.role === "dropped") {
      const title = column.kind === "id" ? "ID-like column dropped" : "Constant column dropped";
      return [{ severity: "low", title, detail: `"${column.name}" is not used: ${column.reason}.`, columns: [column.name] }];
    }
    const share = column.missing / analysis.rows;
    if (column.role === "feature" && share > MISSING_LOW) {
      return [{
        severity: share > MISSING_HIGH ? "high" : "low",
        title: "Many missing values",
        detail: `"${column.name}" is missing in ${column.missing} of ${analysis.rows} rows (${formatPercent(share)}); the engine imputes them, which may hide a data collection problem.`,
        columns: [column.name],
      }];
    }
    return [];
  });
}

function duplicateInsights(profile: DatasetProfile): DataInsight[] {
  if (profile.duplicateRows === 0) return [];
  return [{
    severity: "low",
    title: "Duplicate rows",
    detail: `${profile.duplicateRows} rows (${formatPercent(profile.duplicateRows / profile.rows)}) repeat an earlier row; duplicates can land on both sides of a validation split and flatter the scores.`,
    columns: [],
  }];
}
