import type { DataAnalysis } from "./analysis/index.ts";
import { parseNumber } from "./analysis/values.ts";
import { AutoMLInputError } from "./errors.ts";

/**
 * Orders a binary problem's labels [negative, positive]: class 1, whose F1, precision and recall
 * the binary metrics measure and whose probability `probability` reports, is the positive class.
 *
 * AWS's documentation defines F1, precision and recall for "classes traditionally referred to as
 * positive and negative" (https://docs.aws.amazon.com/sagemaker/latest/dg/autopilot-metrics-validation.html)
 * without saying which class is which. Autopilot's own code does: the data processing it
 * generates for a binary target encodes the majority label as 0 and the other as 1
 * (`RobustLabelEncoder(labels=[<majority label>], fill_label_value=<minority label>,
 * include_unseen_class=True)` in the candidate definition notebook's label transform; the
 * encoder, in aws/sagemaker-scikit-learn-extension, then lists its classes as [majority, minority]
 * whatever their sort order), and SageMaker Data Insights' label encoder says so in as many
 * words ("insure that the minority class is encoded as `1`"). So the positive class is the
 * minority class. On a tie, where that code would take the first label in sort order, the second
 * is taken instead (1 over 0, yes over no, True over False), as nothing in AWS's documents says
 * otherwise and it is what a reader expects. `requested` overrides the rule (the CLI's
 * `--positive-class`); the local SageMaker, like Autopilot, takes no such setting.
 */
export function withPositiveClass(analysis: DataAnalysis, requested: string | undefined): DataAnalysis {
  const { target } = analysis;
  if (target.problemType !== "BinaryClassification") {
    if (requested !== undefined) throw new AutoMLInputError(`positiveClass applies to binary classification only; "${target.name}" is a ${target.problemType} target.`);
    return analysis;
  }
  const [first, second] = target.labels as [string, string];
  const [firstCount, secondCount] = target.classCounts as [number, number];
  const positive = requested === undefined ? (firstCount < secondCount ? 0 : 1) : requestedIndex(target.labels, requested, target.name);
  if (positive === 1) return analysis;
  return { ...analysis, target: { ...target, labels: [second, first], classCounts: [secondCount, firstCount] } };
}

function requestedIndex(labels: readonly string[], requested: string, targetName: string): number {
  const wanted = requested.trim();
  let index = labels.indexOf(wanted);
  if (index < 0 && !Number.isNaN(parseNumber(wanted))) index = labels.findIndex((label) => parseNumber(label) === parseNumber(wanted));
  if (index < 0) throw new AutoMLInputError(`positiveClass "${requested}" is not a value of target "${targetName}"; its values are ${labels.map((label) => `"${label}"`).join(" and ")}.`);
  return index;
}
