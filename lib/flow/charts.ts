import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { svgToPng } from "./chart-images.ts";
import { averagePrecision, bestF1Threshold, confusionTable, type BinaryEvaluation, type Evaluation, type MulticlassEvaluation, type RegressionEvaluation } from "./evaluation.ts";
import type { FeatureImportance } from "./explainability.ts";

// The run's charts as SVG, drawn by vega-lite + vega in Node (no browser, no canvas), and as PNG
// (chart-images.ts): inline in the notebooks, and written to files by `npm start`.

const WIDTH = 360;

/** Renders a vega-lite spec to an SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // Loaded on first use: vega's optional canvas probe is a top-level await, and vega-lite imports vega;
  // loaded up front they would stop tslab's CommonJS cells from requiring this library at all.
  const [{ parse, View }, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new View(parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Renders a vega-lite spec to a PNG image, as notebooks display it. */
export async function renderPng(spec: TopLevelSpec): Promise<Buffer> {
  return svgToPng(await renderSvg(spec));
}

/** Counts by actual and predicted class (binary: the positive class first). */
export function confusionMatrixSpec(evaluation: BinaryEvaluation | MulticlassEvaluation): TopLevelSpec {
  const { labels: order, counts } = confusionTable(evaluation);
  const cells = order.flatMap((actual, i) => order.map((predicted, j) => ({ actual, predicted, rows: counts[i]![j]! })));
  const side = Math.max(240, 60 * order.length);
  return {
    title: `Confusion matrix (${evaluation.rows} test rows)`,
    data: { values: cells },
    width: side,
    height: side,
    encoding: {
      x: { field: "predicted", type: "nominal", sort: order, title: "predicted", axis: { labelAngle: 0 } },
      y: { field: "actual", type: "nominal", sort: order, title: "actual" },
    },
    layer: [
      { mark: "rect", encoding: { color: { field: "rows", type: "quantitative", scale: { scheme: "blues" }, legend: null } } },
      { mark: { type: "text", fontSize: 16 }, encoding: { text: { field: "rows", type: "quantitative" }, color: { condition: { test: `datum.rows > ${evaluation.rows / (2 * order.length)}`, value: "white" }, value: "black" } } },
    ],
  };
}

/** True against false positive rate as the threshold falls, with chance as a dashed diagonal. */
export function rocCurveSpec(evaluation: BinaryEvaluation): TopLevelSpec {
  const rate = { type: "quantitative" as const, scale: { domain: [0, 1] } };
  return {
    title: `ROC curve (AUC ${evaluation.auc.toFixed(4)})`,
    width: WIDTH,
    height: WIDTH,
    layer: [
      {
        data: { values: [{ falsePositiveRate: 0, truePositiveRate: 0 }, { falsePositiveRate: 1, truePositiveRate: 1 }] },
        mark: { type: "line", strokeDash: [4, 4], color: "#999" },
        encoding: { x: { field: "falsePositiveRate", ...rate }, y: { field: "truePositiveRate", ...rate } },
      },
      {
        data: { values: evaluation.roc.map(({ falsePositiveRate, truePositiveRate }) => ({ falsePositiveRate, truePositiveRate })) },
        mark: "line",
        encoding: {
          x: { field: "falsePositiveRate", ...rate, title: "false positive rate" },
          y: { field: "truePositiveRate", ...rate, title: "true positive rate" },
          order: { field: "falsePositiveRate" },
        },
      },
    ],
  };
}

/** Precision against recall as the threshold falls, with the share of positive rows (a guess's precision) dashed. */
export function precisionRecallSpec(evaluation: BinaryEvaluation): TopLevelSpec {
  const rate = { type: "quantitative" as const, scale: { domain: [0, 1] } };
  const positiveShare = (evaluation.confusion.truePositive + evaluation.confusion.falseNegative) / evaluation.rows;
  return {
    title: `Precision-recall curve (average precision ${averagePrecision(evaluation).toFixed(4)})`,
    width: WIDTH,
    height: WIDTH,
    layer: [
      {
        data: { values: [{ recall: 0, precision: positiveShare }, { recall: 1, precision: positiveShare }] },
        mark: { type: "line", strokeDash: [4, 4], color: "#999" },
        encoding: { x: { field: "recall", ...rate }, y: { field: "precision", ...rate } },
      },
      {
        data: { values: [{ recall: 0, precision: positiveShare, label: `a guess: ${(positiveShare * 100).toFixed(0)}% are ${evaluation.positiveLabel}` }] },
        mark: { type: "text", align: "left", dx: 4, dy: -6, color: "#666" },
        encoding: { x: { field: "recall", ...rate }, y: { field: "precision", ...rate }, text: { field: "label" } },
      },
      {
        data: { values: evaluation.thresholds.map(({ recall, precision }, order) => ({ recall, precision, order })) },
        mark: "line",
        encoding: {
          x: { field: "recall", ...rate, title: `recall (of ${evaluation.positiveLabel})` },
          y: { field: "precision", ...rate, title: "precision" },
          order: { field: "order" },
        },
      },
    ],
  };
}

/** Precision, recall and F1 as the threshold on the positive class's probability moves, with the threshold behind predicted_label and the best F1 marked. */
export function thresholdSpec(evaluation: BinaryEvaluation): TopLevelSpec {
  const rate = { type: "quantitative" as const, scale: { domain: [0, 1] } };
  const best = bestF1Threshold(evaluation);
  const series = evaluation.thresholds.flatMap(({ threshold, precision, recall, f1 }) => [
    { threshold, measure: "precision", value: precision },
    { threshold, measure: "recall", value: recall },
    { threshold, measure: "F1", value: f1 },
  ]);
  return {
    title: `Precision, recall and F1 by threshold${best ? ` (best F1 ${best.f1.toFixed(4)} at ${best.threshold.toFixed(2)})` : ""}`,
    width: WIDTH,
    height: WIDTH,
    layer: [
      {
        data: { values: series },
        mark: "line",
        encoding: {
          x: { field: "threshold", ...rate, title: `threshold on the probability of ${evaluation.positiveLabel}` },
          y: { field: "value", ...rate, title: null },
          color: { field: "measure", type: "nominal", sort: ["precision", "recall", "F1"], title: null },
          order: { field: "threshold" },
        },
      },
      ...(evaluation.labelThreshold === undefined
        ? []
        : [
            {
              data: { values: [{ threshold: evaluation.labelThreshold, label: `predicted_label (${evaluation.labelThreshold.toFixed(2)})` }] },
              layer: [
                { mark: { type: "rule" as const, strokeDash: [4, 4], color: "#999" }, encoding: { x: { field: "threshold", ...rate } } },
                { mark: { type: "text" as const, align: "left" as const, dx: 4, dy: -4, color: "#666" }, encoding: { x: { field: "threshold", ...rate }, y: { datum: 0 }, text: { field: "label" } } },
              ],
            },
          ]),
      ...(best ? [{ data: { values: [best] }, mark: { type: "point" as const, filled: true, size: 60, color: "black" }, encoding: { x: { field: "threshold", ...rate }, y: { field: "f1", ...rate } } }] : []),
    ],
  };
}

/** Predicted against actual values, with the line where they agree dashed. */
export function predictedVsActualSpec(evaluation: RegressionEvaluation): TopLevelSpec {
  const domain = evaluation.points.reduce<[number, number]>(([low, high], p) => [Math.min(low, p.actual, p.predicted), Math.max(high, p.actual, p.predicted)], [Infinity, -Infinity]);
  const axis = { type: "quantitative" as const, scale: { domain, zero: false } };
  return {
    title: `Predicted against actual (RMSE ${evaluation.rmse.toFixed(4)})`,
    width: WIDTH,
    height: WIDTH,
    layer: [
      {
        data: { values: domain.map((value) => ({ actual: value, predicted: value })) },
        mark: { type: "line", strokeDash: [4, 4], color: "#999" },
        encoding: { x: { field: "actual", ...axis }, y: { field: "predicted", ...axis } },
      },
      { data: { values: evaluation.points }, mark: { type: "point", opacity: 0.5 }, encoding: { x: { field: "actual", ...axis, title: "actual" }, y: { field: "predicted", ...axis, title: "predicted" } } },
    ],
  };
}

/**
 * The best candidate's most important columns, largest first; `measure` says what the values are
 * (the local AWS's report holds permutation importance, real Autopilot's mean |SHAP| values).
 */
export function featureImportanceSpec(importance: readonly FeatureImportance[], top = 15, measure?: string): TopLevelSpec {
  const shown = [...importance].sort((a, b) => b.importance - a.importance).slice(0, top);
  return {
    title: `Feature importance${measure ? `: ${measure}` : ""} (top ${shown.length} of ${importance.length} columns)`,
    data: { values: shown },
    width: WIDTH,
    mark: "bar",
    encoding: {
      y: { field: "column", type: "nominal", sort: "-x", title: null },
      x: { field: "importance", type: "quantitative", title: measure ?? "importance" },
    },
  };
}

export interface RunCharts {
  /** Classification. */
  confusionMatrix?: string;
  /** Binary classification. */
  rocCurve?: string;
  /** Binary classification. */
  precisionRecall?: string;
  /** Binary classification. */
  thresholds?: string;
  /** Regression. */
  predictedVsActual?: string;
  featureImportance?: string;
}

/** The run's charts that fit its evaluation, as SVG documents (feature importance when the job reported it). */
export async function runCharts(evaluation: Evaluation, importance?: readonly FeatureImportance[]): Promise<RunCharts> {
  const features = importance?.length ? { featureImportance: await renderSvg(featureImportanceSpec(importance)) } : {};
  if (evaluation.kind === "regression") return { predictedVsActual: await renderSvg(predictedVsActualSpec(evaluation)), ...features };
  const confusionMatrix = await renderSvg(confusionMatrixSpec(evaluation));
  if (evaluation.kind === "multiclass") return { confusionMatrix, ...features };
  return {
    confusionMatrix,
    rocCurve: await renderSvg(rocCurveSpec(evaluation)),
    precisionRecall: await renderSvg(precisionRecallSpec(evaluation)),
    thresholds: await renderSvg(thresholdSpec(evaluation)),
    ...features,
  };
}

const FILE_NAMES: Record<keyof RunCharts, string> = {
  confusionMatrix: "confusion-matrix.svg",
  rocCurve: "roc-curve.svg",
  precisionRecall: "precision-recall.svg",
  thresholds: "thresholds.svg",
  predictedVsActual: "predicted-vs-actual.svg",
  featureImportance: "feature-importance.svg",
};

/** Writes each chart into `dir` as an SVG file (its name after `prefix`) and, beside it, a PNG at twice the size; returns their paths. */
export function writeCharts(dir: string, charts: RunCharts, prefix = ""): string[] {
  mkdirSync(dir, { recursive: true });
  return (Object.keys(FILE_NAMES) as (keyof RunCharts)[]).flatMap((name) => {
    const svg = charts[name];
    if (!svg) return [];
    const path = join(dir, `${prefix}${FILE_NAMES[name]}`);
    const png = path.replace(/\.svg$/, ".png");
    writeFileSync(path, svg);
    writeFileSync(png, svgToPng(svg, 2));
    return [path, png];
  });
}
