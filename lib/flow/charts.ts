import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { confusionTable, type BinaryEvaluation, type Evaluation, type MulticlassEvaluation, type RegressionEvaluation } from "./evaluation.ts";
import type { FeatureImportance } from "./explainability.ts";

// The run's charts as SVG, drawn by vega-lite + vega in Node (no browser, no canvas): inline in the
// notebooks, and written to files by `npm start`.

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

/** The best candidate's most important columns, largest first. */
export function featureImportanceSpec(importance: readonly FeatureImportance[], top = 15): TopLevelSpec {
  const shown = [...importance].sort((a, b) => b.importance - a.importance).slice(0, top);
  return {
    title: `Feature importance (top ${shown.length} of ${importance.length} columns)`,
    data: { values: shown },
    width: WIDTH,
    mark: "bar",
    encoding: {
      y: { field: "column", type: "nominal", sort: "-x", title: null },
      x: { field: "importance", type: "quantitative", title: "importance" },
    },
  };
}

export interface RunCharts {
  /** Classification. */
  confusionMatrix?: string;
  /** Binary classification. */
  rocCurve?: string;
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
  return { confusionMatrix, rocCurve: await renderSvg(rocCurveSpec(evaluation)), ...features };
}

const FILE_NAMES: Record<keyof RunCharts, string> = {
  confusionMatrix: "confusion-matrix.svg",
  rocCurve: "roc-curve.svg",
  predictedVsActual: "predicted-vs-actual.svg",
  featureImportance: "feature-importance.svg",
};

/** Writes the charts as SVG files into `dir`; returns their paths. */
export function writeCharts(dir: string, charts: RunCharts): string[] {
  mkdirSync(dir, { recursive: true });
  return (Object.keys(FILE_NAMES) as (keyof RunCharts)[]).flatMap((name) => {
    const svg = charts[name];
    if (!svg) return [];
    const path = join(dir, FILE_NAMES[name]);
    writeFileSync(path, svg);
    return [path];
  });
}
