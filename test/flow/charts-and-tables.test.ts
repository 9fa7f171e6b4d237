import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { featureImportanceSpec, runCharts, writeCharts } from "../../lib/flow/charts.ts";
import { evaluate, evaluateBinary } from "../../lib/flow/evaluation.ts";
import { parseImportanceReport } from "../../lib/flow/explainability.ts";
import { parsePredictions } from "../../lib/flow/predict.ts";
import { endpointAnswer } from "../helpers/endpoint-answer.ts";
import { classBalanceTable, dataTable, htmlTable } from "../../lib/flow/tables.ts";

const evaluation = evaluateBinary(["True.", "True.", "False.", "False.", "True."], parsePredictions(endpointAnswer([0.9, 0.4, 0.6, 0.1, 0.8])));

describe("charts of a run's results", () => {
  it("draws the confusion matrix, the ROC curve and the feature importance as SVG, with their numbers", async () => {
    const charts = await runCharts(evaluation, [
      { column: "Day Mins", importance: 0.6 },
      { column: "CustServ Calls", importance: 0.4 },
    ]);
    for (const svg of Object.values(charts)) expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(charts.confusionMatrix).toContain("Confusion matrix (5 test rows)");
    // TP 2, FN 1, FP 1, TN 1 drawn as the cells' labels.
    expect([...charts.confusionMatrix!.matchAll(/<text[^>]*>(\d+)<\/text>/g)].map((m) => m[1]).sort()).toEqual(["1", "1", "1", "2"]);
    expect(charts.rocCurve).toContain(`ROC curve (AUC ${evaluation.auc.toFixed(4)})`);
    expect(charts.featureImportance).toContain("Day Mins");
    expect(charts.featureImportance).toContain("CustServ Calls");
  });

  it("leaves feature importance out when the job reported none, and writes the files as SVG and PNG", async () => {
    const charts = await runCharts(evaluation);
    expect(charts.featureImportance).toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), "charts-"));
    try {
      const written = writeCharts(join(dir, "results"), charts);
      const charts_ = ["confusion-matrix", "roc-curve", "precision-recall", "thresholds"];
      expect(written.map((path) => path.slice(dir.length))).toEqual(charts_.flatMap((name) => [`/results/${name}.svg`, `/results/${name}.png`]));
      expect(readFileSync(written[2]!, "utf8")).toBe(charts.rocCurve);
      expect(readFileSync(written[3]!).subarray(1, 4).toString("latin1")).toBe("PNG");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("draws a k-by-k confusion matrix for a multiclass evaluation and predicted against actual for a regression one, without a ROC curve", async () => {
    const labels = ["a", "b", "c"];
    const answer = (label: string) => ({ label, probabilities: labels.map((l) => (l === label ? 0.8 : 0.1)), labels });
    const multiclass = await runCharts(evaluate(["a", "b", "c", "c"], ["a", "c", "c", "c"].map(answer)));
    expect(Object.keys(multiclass)).toEqual(["confusionMatrix"]);
    expect([...multiclass.confusionMatrix!.matchAll(/<text[^>]*>(\d+)<\/text>/g)].map((m) => m[1]).sort()).toEqual(["0", "0", "0", "0", "0", "0", "1", "1", "2"]);
    const regression = await runCharts(evaluate(["1.5", "2", "3"], [{ label: "1.25" }, { label: "2" }, { label: "3.5" }]));
    expect(Object.keys(regression)).toEqual(["predictedVsActual"]);
    expect(regression.predictedVsActual).toContain("Predicted against actual (RMSE");
  });
});

describe("the feature importance chart", () => {
  it("says what its values measure when told (the local AWS's report holds permutation importance)", () => {
    const spec = featureImportanceSpec([{ column: "Day Mins", importance: 0.7 }, { column: "State", importance: 0.3 }], 15, "permutation importance");
    expect(spec.title).toBe("Feature importance: permutation importance (top 2 of 2 columns)");
    expect(featureImportanceSpec([{ column: "Day Mins", importance: 1 }]).title).toBe("Feature importance (top 1 of 1 columns)");
  });
});

describe("HTML tables for notebooks", () => {
  it("escapes every value", () => {
    expect(htmlTable(["a<b"], [["x&y", '"q"']])).toBe("<table><thead><tr><th>a&#60;b</th></tr></thead><tbody><tr><td>x&#38;y</td><td>&#34;q&#34;</td></tr></tbody></table>");
  });

  it("rounds a data preview's long decimals, and leaves integers and text as they are", () => {
    const html = dataTable({ header: ["State", "Day Mins", "Calls", "Phone"], rows: [["KS", "5.215284115327393", "110", "382-4657"], ["OH", "-0.5", "123", "371-7191"]] });
    expect(html).toContain("<tr><td>KS</td><td>5.22</td><td>110</td><td>382-4657</td></tr>");
    expect(html).toContain("<tr><td>OH</td><td>-0.5</td><td>123</td><td>371-7191</td></tr>");
  });

  it("shows the class balance with shares", () => {
    expect(classBalanceTable({ "False.": 3, "True.": 1 })).toContain("<tr><td>False.</td><td>3</td><td>75.0%</td></tr>");
  });
});

describe("reading the explainability report", () => {
  it("reads SageMaker Clarify's analysis.json (real Autopilot) as shares of mean |SHAP|", () => {
    const analysis = { explanations: { kernel_shap: { label0: { global_shap_values: { "Day Mins": 0.3, "CustServ Calls": 0.1 }, expected_value: 0.5 } } } };
    const importance = parseImportanceReport("out/analysis.json", JSON.stringify(analysis));
    expect(importance.map((f) => f.column)).toEqual(["Day Mins", "CustServ Calls"]);
    expect(importance[0]!.importance).toBeCloseTo(0.75);
    expect(importance[1]!.importance).toBeCloseTo(0.25);
  });

  it("says what is wrong with a report that holds no attributions", () => {
    expect(() => parseImportanceReport("x/analysis.json", "{}")).toThrow(/no kernel_shap global_shap_values/);
    expect(() => parseImportanceReport("x/analysis.json", "null")).toThrow(/no kernel_shap global_shap_values/);
  });
});
