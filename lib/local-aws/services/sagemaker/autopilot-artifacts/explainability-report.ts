import type { ProblemType } from "../../../../automl/index.ts";
import type { ColumnImportance } from "../../../../automl/permutation-importance.ts";
import { escapeMarkdown as md, formatNumber, formatPercent, markdownTable } from "./markdown.ts";
import { markdown, notebook, type Notebook } from "./nbformat.ts";

/**
 * SageMaker Clarify's analysis.json, which Autopilot's explainability report is
 * (https://docs.aws.amazon.com/sagemaker/latest/dg/autopilot-explainability.html): global feature
 * attributions per label under explanations.kernel_shap, with the schema of
 * https://docs.aws.amazon.com/sagemaker/latest/dg/clarify-processing-job-analysis-results.html.
 *
 * The values are NOT SHAP values: they are the engine's permutation importance
 * (lib/automl/permutation-importance.ts), each input column's share of the loss increase when its
 * values are shuffled, non-negative and summing to 1. They rank columns as mean |SHAP| does, which
 * is what readers of global_shap_values use them for, but they do not add up to a prediction. The
 * file says so in `note`. One attribution per column explains the whole model, so there is a
 * single entry, "label0", Clarify's name for an output without label headers, for every problem type.
 */
export interface ClarifyAnalysis {
  version: "1.0";
  note: string;
  explanations: {
    kernel_shap: {
      label0: {
        global_shap_values: Record<string, number>;
        /** The model's mean output over the scored rows (a class's probability, or the predicted value); per class for multiclass. */
        expected_value: number | number[];
      };
    };
  };
}

export interface ExplainabilityInput {
  candidateName: string;
  target: string;
  problemType: ProblemType;
  labels: readonly string[];
  /** The candidate's permutation importance, largest first (AutoMLResult.best.featureImportance). */
  featureImportance: readonly ColumnImportance[];
  /** The candidate's output on the scored rows (AutoMLResult.validationOutputs). */
  validationOutput: Float64Array;
}

export const ATTRIBUTION_NOTE =
  "global_shap_values holds permutation importance, not SHAP values: each column's share of the increase in the model's loss " +
  "(log loss; squared error for regression) when that column's values are shuffled across up to 2,000 training rows. " +
  "The shares are non-negative and sum to 1. expected_value is the model's mean output on the validation rows.";

export function explainabilityReport(input: ExplainabilityInput): { analysis: ClarifyAnalysis; report: Notebook } {
  const analysis: ClarifyAnalysis = {
    version: "1.0",
    note: ATTRIBUTION_NOTE,
    explanations: {
      kernel_shap: {
        label0: {
          global_shap_values: Object.fromEntries(input.featureImportance.map(({ column, importance }) => [column, importance])),
          expected_value: meanOutput(input),
        },
      },
    },
  };
  return { analysis, report: reportNotebook(input) };
}

function meanOutput({ problemType, labels, validationOutput }: ExplainabilityInput): number | number[] {
  if (problemType !== "MulticlassClassification") return validationOutput.reduce((sum, value) => sum + value, 0) / validationOutput.length;
  const rows = validationOutput.length / labels.length;
  return labels.map((_, c) => {
    let sum = 0;
    for (let row = 0; row < rows; row++) sum += validationOutput[row * labels.length + c]!;
    return sum / rows;
  });
}

/** Clarify's report.ipynb counterpart: the attributions as a static table, largest first. */
function reportNotebook(input: ExplainabilityInput): Notebook {
  const positive = input.problemType === "BinaryClassification" ? ` (the positive class is "${md(input.labels[1]!)}")` : "";
  return notebook([
    markdown(
      `# Explainability: ${md(input.candidateName)}`,
      "",
      `How much each input column matters to this candidate's predictions of **${md(input.target)}**${positive}. ` +
        "The importance is permutation importance, not SHAP: how much worse the model's loss gets when the column's values are shuffled across rows, " +
        "as a share of the total over all columns. The same figures are in `analysis.json`, under `explanations.kernel_shap.label0.global_shap_values`.",
      "",
      markdownTable(
        ["rank", "column", "importance", "share"],
        input.featureImportance.map(({ column, importance }, i) => [String(i + 1), md(column), formatNumber(importance), formatPercent(importance)]),
      ),
    ),
  ]);
}
