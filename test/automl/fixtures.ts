import { formatCsvRow } from "../../lib/automl/csv.ts";
import { createRandom } from "../../lib/automl/rng.ts";

/** Small synthetic data sets whose answers are known, for end-to-end tests. */

const COLORS = ["red", "green", "blue", "amber"] as const;

/**
 * Binary churn-like rows: `usage` and `calls` decide the label (with a little noise), `plan` is a
 * yes/no flag, `color` a category, `customer` a unique ID, `region` a constant.
 */
export function binaryCsv(rows: number, seed = 1): string {
  const random = createRandom(seed);
  const lines = [formatCsvRow(["customer", "usage", "calls", "plan", "color", "region", "churned"])];
  for (let i = 0; i < rows; i++) {
    const usage = random.next() * 10;
    const calls = Math.floor(random.next() * 8);
    const plan = random.next() < 0.5 ? "yes" : "no";
    const color = COLORS[random.int(COLORS.length)]!;
    const score = usage + 1.5 * calls - 10 + (plan === "yes" ? 1 : 0) + (random.next() - 0.5) * 2;
    const usageField = random.next() < 0.03 ? "" : usage.toFixed(3);
    lines.push(formatCsvRow([`C-${100000 + i * 7}`, usageField, String(calls), plan, color, "north", score > 0 ? "yes" : "no"]));
  }
  return lines.join("\n");
}

/** Three classes by the quadrant-like regions of (a, b). */
export function multiclassCsv(rows: number, seed = 2): string {
  const random = createRandom(seed);
  const lines = ["a,b,noise,species"];
  for (let i = 0; i < rows; i++) {
    const a = random.next() * 2 - 1;
    const b = random.next() * 2 - 1;
    const species = a > 0.2 ? "setosa" : b > 0 ? "versicolor" : "virginica";
    lines.push([a.toFixed(4), b.toFixed(4), random.next().toFixed(4), species].join(","));
  }
  return lines.join("\n");
}

/** y = 3x1 - 2x2 + 5 plus small noise. */
export function regressionCsv(rows: number, seed = 3): string {
  const random = createRandom(seed);
  const lines = ["x1,x2,y"];
  for (let i = 0; i < rows; i++) {
    const x1 = random.next() * 4;
    const x2 = random.next() * 4;
    const y = 3 * x1 - 2 * x2 + 5 + (random.next() - 0.5) * 0.2;
    lines.push([x1.toFixed(4), x2.toFixed(4), y.toFixed(4)].join(","));
  }
  return lines.join("\n");
}
