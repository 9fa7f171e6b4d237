import { readFileSync } from "node:fs";
import type { Dataset } from "../../../lib/automl/learners/types.ts";

/**
 * data/churn.txt as a learner sees it after preprocessing: State one-hot (51 columns), the two
 * plans as 0/1, the 16 numeric columns as they are (69 columns); Phone dropped; Churn? as 0/1.
 * For benchmarks: the real preprocessing lives elsewhere in lib/automl.
 */
export function loadChurnMatrix(path = new URL("../../../data/churn.txt", import.meta.url)): Dataset {
  const [header, ...lines] = readFileSync(path, "utf8").trim().split("\n");
  const names = header!.split(",");
  const rows = lines.map((line) => line.split(","));
  const column = (name: string): number => names.indexOf(name);
  const states = [...new Set(rows.map((row) => row[column("State")]!))].sort();
  const numeric = names.filter((name) => !["State", "Phone", "Int'l Plan", "VMail Plan", "Churn?"].includes(name));
  const cols = states.length + 2 + numeric.length;
  const values = new Float32Array(rows.length * cols);
  const y = new Float64Array(rows.length);
  rows.forEach((row, r) => {
    const out = values.subarray(r * cols, (r + 1) * cols);
    out[states.indexOf(row[column("State")]!)] = 1;
    out[states.length] = row[column("Int'l Plan")] === "yes" ? 1 : 0;
    out[states.length + 1] = row[column("VMail Plan")] === "yes" ? 1 : 0;
    numeric.forEach((name, i) => (out[states.length + 2 + i] = Number(row[column(name)])));
    y[r] = row[column("Churn?")] === "True." ? 1 : 0;
  });
  return { X: { rows: rows.length, cols, values }, y };
}
