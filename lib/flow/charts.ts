import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import type { Evaluation } from "./evaluation.ts";
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

/** Counts by actual and predicted class, the positive class first. */
export function confusionMatrixSpec(evaluation: Evaluation): TopLevelSpec {
  const { confusion: c, positiveLabel } = evaluation;
  const negativeLabel = `not ${positiveLabel}`;
  const cells = [
    { actual: positiveLabel, predicted: positiveLabel, rows: c.truePositive },
    { actual: positiveLabel, predicted: negativeLabel, rows: c.falseNegative },
    { actual: negativeLabel, predicted: positiveLabel, rows: c.falsePositive },
    { actual: negativeLabel, predicted: negativeLabel, rows: c.trueNegative },
  ];
  const order = [positiveLabel, negativeLabel];
  return {
    title: `Confusion matrix (${evaluation.rows} test rows)`,
    data: { values: cells },
    width: 240,
    height: 240,
    encoding: {
      x: { field: "predicted", type: "nominal", sort: order, title: "predicted", axis: { labelAngle: 0 } },
      y: { field: "actual", type: "nominal", sort: order, title: "actual" },
    },
    layer: [
      { mark: "rect", encoding: { color: { field: "rows", type: "quantitative", scale: { scheme: "blues" }, legend: null } } },
      { mark: { type: "text", fontSize: 16 }, encoding: { text: { field: "rows", type: "quantitative" }, color: { condition: { test: `datum.rows > ${evaluation.rows / 4}`, value: "white" }, value: "black" } } },
    ],
  };
}

/** True against false positive rate as the threshold falls, with chance as a dashed diagonal. */
export function rocCurveSpec(evaluation: Evaluation): TopLevelSpec {
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
  confusionMatrix: string;
  rocCurve: string;
  featureImportance?: string;
}

/** The run's charts as SVG documents (feature importance when the job reported it). */
export async function runCharts(evaluation: Evaluation, importance?: readonly FeatureImportance[]): Promise<RunCharts> {
  return {
    confusionMatrix: await renderSvg(confusionMatrixSpec(evaluation)),
    rocCurve: await renderSvg(rocCurveSpec(evaluation)),
    ...(importance?.length ? { featureImportance: await renderSvg(featureImportanceSpec(importance)) } : {}),
  };
}

const FILE_NAMES: Record<keyof RunCharts, string> = { confusionMatrix: "confusion-matrix.svg", rocCurve: "roc-curve.svg", featureImportance: "feature-importance.svg" };

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
