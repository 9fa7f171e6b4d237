import { createRandom } from "../lib/automl/rng.ts";

/** The target column of `generateMessyTable`. */
export const MESSY_TARGET = "fraud";

/** Levels of each categorical column: a few, dozens, hundreds. */
const CATEGORY_LEVELS = [3, 5, 8, 12, 20, 40, 60, 150, 400, 6, 4, 25];
/** The 13 numeric columns: how much each moves the target (the last ones are noise). */
const NUMERIC_WEIGHTS = [0.9, -0.6, 0.5, 0.4, -0.3, 0.2, 0, 0, 0, 0, 0, 0, 0];
/** Categorical columns before this one move the target; the rest are noise. */
const INFORMATIVE_CATEGORIES = 8;
const DAY_MS = 86_400_000;

/**
 * A 30-column CSV table as a business system exports it, for measuring the engine at size: a
 * record ID, 13 numbers (every third skewed, every fourth written to 17 digits, 5 % blank, a few
 * "n/a"), 12 categories of 3 to 400 levels (unevenly used, some written lower-case with spaces
 * around, 3 % blank), two flags, a date, and a binary target ("fraud" on about 15 % of rows)
 * that depends on some of them. 50,000 rows are some 10 MB.
 */
export function generateMessyTable(rows: number, seed: number): string {
  const random = createRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
  const effects = CATEGORY_LEVELS.map((levels, i) => Array.from({ length: levels }, () => (i < INFORMATIVE_CATEGORIES ? 0.5 * normal() : 0)));
  const cumulativeShares = CATEGORY_LEVELS.map((levels) => {
    const weights = Array.from({ length: levels }, () => (-Math.log(1 - random.next())) ** 1.6);
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let cumulative = 0;
    return weights.map((weight) => (cumulative += weight / total));
  });
  const header = [
    "record_id",
    ...NUMERIC_WEIGHTS.map((_, i) => `num_${i}`),
    ...CATEGORY_LEVELS.map((_, i) => `cat_${i}`),
    "flag_a",
    "flag_b",
    "signup_date",
    MESSY_TARGET,
  ];
  const lines = [header.join(",")];
  const firstDay = Date.UTC(2020, 0, 1);
  for (let r = 0; r < rows; r++) {
    const fields = [`R${1_000_000 + r}`];
    let signal = 0;
    NUMERIC_WEIGHTS.forEach((weight, i) => {
      const z = normal();
      const value = i % 3 === 0 ? Math.exp(3 + z) : 50 + 15 * z;
      signal += weight * (i === 4 ? Math.sin(z) : z);
      const u = random.next();
      fields.push(u < 0.05 ? "" : u < 0.0505 ? "n/a" : i % 4 === 1 ? String(value) : value.toFixed(2));
    });
    CATEGORY_LEVELS.forEach((levels, i) => {
      const u = random.next();
      const found = cumulativeShares[i]!.findIndex((share) => u < share);
      const level = found < 0 ? levels - 1 : found;
      signal += effects[i]![level]!;
      const v = random.next();
      fields.push(v < 0.03 ? "" : level % 7 === 0 && v < 0.5 ? ` l${i}_${level} ` : `L${i}_${level}`);
    });
    const flag = random.next() < 0.5;
    signal += flag ? 0.4 : 0;
    fields.push(flag ? "yes" : "no", random.next() < 0.3 ? "True" : "False");
    fields.push(new Date(firstDay + random.int(1400) * DAY_MS).toISOString().slice(0, 10));
    const logisticNoise = Math.log(1 / (1 - random.next()) - 1);
    fields.push(1.3 * signal - 4 + 0.6 * logisticNoise > 0 ? "fraud" : "ok");
    lines.push(fields.join(","));
  }
  return `${lines.join("\n")}\n`;
}
