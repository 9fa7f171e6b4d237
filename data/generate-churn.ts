// Generates data/churn.txt, an offline look-alike of the blog's churn data set
// (facts in shared/data/churn-profile.md). Usage:
//   npx tsx data/generate-churn.ts [--out FILE] [--rows N] [--seed K]
//
// Numbers come only from operations IEEE 754 rounds exactly (+, -, *, /, sqrt, floor, round: no
// log, exp, cos or pow, whose last bits differ between libms) and are written with JavaScript's
// shortest round-trip formatting, so a seed gives the same bytes on any platform and engine.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

export const DEFAULT_ROWS = 5_000;
export const DEFAULT_SEED = 200;
// Phones are distinct 7-digit numbers; a million keeps drawing new ones quick.
export const MAX_ROWS = 1_000_000;
export const DEFAULT_OUTPUT = fileURLToPath(new URL("./churn.txt", import.meta.url));

export const CHURN_COLUMNS = [
  "State", "Account Length", "Area Code", "Phone", "Int'l Plan", "VMail Plan", "VMail Message",
  "Day Mins", "Day Calls", "Day Charge", "Eve Mins", "Eve Calls", "Eve Charge", "Night Mins",
  "Night Calls", "Night Charge", "Intl Mins", "Intl Calls", "Intl Charge", "CustServ Calls", "Churn?",
] as const;

type ChurnColumn = (typeof CHURN_COLUMNS)[number];

export interface ChurnOptions {
  rows?: number;
  seed?: number;
}

// The real file has 2,498 churners in 5,000 rows; other sizes keep that share.
const CHURN_SHARE = 2_498 / 5_000;

const STATES = [
  "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID", "IL", "IN",
  "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE", "NH", "NJ",
  "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VT", "WA",
  "WI", "WV", "WY",
] as const;
const MOST_COMMON_STATE = "RI";
const MOST_COMMON_STATE_SHARE = 120 / 5_000;

// 33 real area codes between 657 and 878; drawn uniformly their mean is the profile's 773.8.
const AREA_CODES = [
  657, 669, 678, 682, 701, 707, 712, 714, 717, 724, 731, 740, 754, 760, 765, 772, 775, 781, 786,
  801, 804, 808, 813, 814, 817, 828, 847, 850, 856, 860, 864, 870, 878,
] as const;

interface Range {
  min: number;
  max: number;
}

/** Column ranges from the profile. */
const RANGES = {
  accountLength: { min: 1, max: 200 },
  vmailMessage: { min: 0, max: 1300 },
  dayMins: { min: 0, max: 16.9 },
  dayCalls: { min: 0, max: 10 },
  dayCharge: { min: 0, max: 12.7 },
  eveMins: { min: 0, max: 13.6 },
  eveCalls: { min: 0, max: 14 },
  eveCharge: { min: 0, max: 12.4 },
  nightMins: { min: 0, max: 10.2 },
  nightCalls: { min: 0, max: 550 },
  nightCharge: { min: 0, max: 10.4 },
  intlMins: { min: 1.6, max: 8.4 },
  intlCalls: { min: 0, max: 12 },
  intlCharge: { min: 0, max: 14.2 },
  custServCalls: { min: 0, max: 13 },
} satisfies Record<string, Range>;

interface Customers {
  state: string[];
  accountLength: number[];
  areaCode: number[];
  phone: string[];
  intlPlan: boolean[];
  vmailPlan: boolean[];
  vmailMessage: number[];
  dayMins: number[];
  dayCalls: number[];
  dayCharge: number[];
  eveMins: number[];
  eveCalls: number[];
  eveCharge: number[];
  nightMins: number[];
  nightCalls: number[];
  nightCharge: number[];
  intlMins: number[];
  intlCalls: number[];
  intlCharge: number[];
  custServCalls: number[];
}

/** mulberry32: a small 32-bit PRNG; two outputs make one 53-bit double in [0, 1). */
class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  private next32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  uniform(): number {
    const high = this.next32() >>> 5;
    const low = this.next32() >>> 6;
    return (high * 67_108_864 + low) / 9_007_199_254_740_992;
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.uniform();
  }

  integerBelow(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /** Irwin-Hall: the sum of 12 uniforms less 6 has mean 0, variance 1 and needs no log or cos. */
  standardNormal(): number {
    let sum = -6;
    for (let i = 0; i < 12; i++) sum += this.uniform();
    return sum;
  }

  normal(mean: number, sd: number): number {
    return mean + sd * this.standardNormal();
  }

  chiSquare(degreesOfFreedom: number): number {
    let sum = 0;
    for (let i = 0; i < degreesOfFreedom; i++) {
      const z = this.standardNormal();
      sum += z * z;
    }
    return sum;
  }

  binomial(trials: number, p: number): number {
    let successes = 0;
    for (let i = 0; i < trials; i++) if (this.uniform() < p) successes++;
    return successes;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.integerBelow(items.length)] as T;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.integerBelow(i + 1);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
}

function times<T>(rows: number, make: (row: number) => T): T[] {
  return Array.from({ length: rows }, (_, row) => make(row));
}

/** Draws until the value falls inside the range (a truncated distribution). */
function within(range: Range, draw: () => number): number {
  for (;;) {
    const value = draw();
    if (value >= range.min && value <= range.max) return value;
  }
}

/**
 * If no row reaches an end of the range, the most extreme row is moved onto it: one customer
 * per end, so the profile's range holds at any row count while the distribution is kept.
 */
function reachEnds(values: number[], ends: Range): number[] {
  const reached = [...values];
  const low = smallest(reached);
  const high = largest(reached);
  if (low > ends.min) reached[reached.indexOf(low)] = ends.min;
  if (high < ends.max) reached[reached.indexOf(high)] = ends.max;
  return reached;
}

function integerColumn(rows: number, range: Range, draw: () => number): number[] {
  return reachEnds(times(rows, () => within(range, draw)), range);
}

/** Float ends sit a little inside the range, so they round to the profile's one-decimal range. */
function floatColumn(rows: number, range: Range, random: Random, draw: (row: number) => number): number[] {
  const ends = {
    min: range.min + random.between(0.001, 0.045),
    max: range.max - random.between(0.001, 0.045),
  };
  return reachEnds(times(rows, (row) => within(range, () => draw(row))), ends);
}

/** A charge that follows its minutes with correlation `rho` around its own mean and sd. */
function chargeColumn(
  minutes: number[],
  range: Range,
  shape: { mean: number; sd: number; rho: number },
  random: Random,
): number[] {
  const minutesMean = mean(minutes);
  const minutesSd = standardDeviation(minutes);
  const independent = Math.sqrt(1 - shape.rho * shape.rho);
  return floatColumn(minutes.length, range, random, (row) => {
    const standardized = ((minutes[row] as number) - minutesMean) / minutesSd;
    return shape.mean + shape.sd * (shape.rho * standardized + independent * random.standardNormal());
  });
}

// Spreading up to a million values into Math.min/max would overflow the call stack.
function smallest(values: number[]): number {
  return values.reduce((low, value) => (value < low ? value : low), Infinity);
}

function largest(values: number[]): number {
  return values.reduce((high, value) => (value > high ? value : high), -Infinity);
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function standardDeviation(values: number[]): number {
  const average = mean(values);
  const squares = values.reduce((sum, value) => sum + (value - average) * (value - average), 0);
  return Math.sqrt(squares / values.length);
}

/** Exact state counts (RI the most common, at the profile's share), dealt in random order. */
function stateColumn(rows: number, random: Random): string[] {
  const others = STATES.filter((state) => state !== MOST_COMMON_STATE);
  const mostCommonCount = Math.round(rows * MOST_COMMON_STATE_SHARE);
  const weights = others.map(() => random.between(0.8, 1.15));
  const counts = apportion(rows - mostCommonCount, weights);
  const deck = [
    ...Array<string>(mostCommonCount).fill(MOST_COMMON_STATE),
    ...others.flatMap((state, i) => Array<string>(counts[i] as number).fill(state)),
  ];
  return random.shuffle(deck);
}

/** Largest-remainder split of `total` in proportion to `weights`. */
function apportion(total: number, weights: number[]): number[] {
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  const quotas = weights.map((weight) => (total * weight) / weightSum);
  const counts = quotas.map(Math.floor);
  const byRemainder = quotas
    .map((quota, i) => ({ i, remainder: quota - Math.floor(quota) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i);
  let left = total - counts.reduce((sum, count) => sum + count, 0);
  for (const { i } of byRemainder) {
    if (left-- <= 0) break;
    counts[i] = (counts[i] as number) + 1;
  }
  return counts;
}

/** Distinct ddd-dddd numbers, then one row given another row's number: the file's one repeat. */
function phoneColumn(rows: number, random: Random): string[] {
  const used = new Set<number>();
  const phones = times(rows, () => {
    let number: number;
    do number = random.integerBelow(10_000_000);
    while (used.has(number));
    used.add(number);
    const digits = String(number).padStart(7, "0");
    return `${digits.slice(0, 3)}-${digits.slice(3)}`;
  });
  const original = random.integerBelow(rows);
  const copy = (original + 1 + random.integerBelow(rows - 1)) % rows;
  phones[copy] = phones[original] as string;
  return phones;
}

/** Voicemail users leave 100-message blocks (0-1,300); most customers have no plan and none. */
function vmailMessageColumn(vmailPlan: boolean[], random: Random): number[] {
  const blocks = { min: 0, max: 13 };
  const messages = vmailPlan.map((hasPlan) => {
    if (!hasPlan || random.chance(0.09)) return 0;
    return 100 * within(blocks, () => Math.round(0.95 * random.chiSquare(5) + 0.4));
  });
  return reachEnds(messages, RANGES.vmailMessage);
}

function generateCustomers(rows: number, random: Random): Customers {
  const intlPlan = times(rows, () => random.chance(0.5));
  const vmailPlan = times(rows, () => random.chance(0.5));
  const dayMins = floatColumn(rows, RANGES.dayMins, random, () => 1.2 * random.chiSquare(5) - 0.34);
  const eveMins = floatColumn(rows, RANGES.eveMins, random, () => random.normal(4.985, 2.0));
  const nightMins = floatColumn(rows, RANGES.nightMins, random, () => random.normal(3.98, 1.6));
  const intlMins = floatColumn(rows, RANGES.intlMins, random, () => random.normal(5.03, 0.95));
  return {
    state: stateColumn(rows, random),
    accountLength: integerColumn(rows, RANGES.accountLength, () => Math.round(random.normal(102, 40))),
    areaCode: times(rows, () => random.pick(AREA_CODES)),
    phone: phoneColumn(rows, random),
    intlPlan,
    vmailPlan,
    vmailMessage: vmailMessageColumn(vmailPlan, random),
    dayMins,
    dayCalls: integerColumn(rows, RANGES.dayCalls, () => random.binomial(10, 0.35)),
    dayCharge: chargeColumn(dayMins, RANGES.dayCharge, { mean: 5.02, sd: 2.0, rho: 0.6 }, random),
    eveMins,
    eveCalls: integerColumn(rows, RANGES.eveCalls, () => random.binomial(14, 0.224)),
    eveCharge: chargeColumn(eveMins, RANGES.eveCharge, { mean: 5.02, sd: 2.0, rho: 0.6 }, random),
    nightMins,
    nightCalls: integerColumn(rows, RANGES.nightCalls, () => 50 * random.binomial(11, 0.409)),
    nightCharge: chargeColumn(nightMins, RANGES.nightCharge, { mean: 5.02, sd: 1.4, rho: 0.6 }, random),
    intlMins,
    intlCalls: integerColumn(rows, RANGES.intlCalls, () => random.binomial(12, 0.457)),
    intlCharge: chargeColumn(intlMins, RANGES.intlCharge, { mean: 4.26, sd: 2.0, rho: 0.5 }, random),
    custServCalls: integerColumn(rows, RANGES.custServCalls, () => random.binomial(13, 0.425)),
  };
}

function hinge(x: number): number {
  return Math.max(0, x);
}

/**
 * How strongly a customer leans towards leaving, before noise. Built so that no column decides it
 * and a linear model misses part of it:
 * - customer-service calls count, and past a threshold (repeated complaints) count much more;
 * - the international plan crosses with international minutes: plan holders who barely call
 *   abroad pay for nothing, non-holders who call abroad a lot pay full rates;
 * - daytime minutes count, and heavy daytime use counts more without the international plan;
 * - a voicemail plan holds customers back.
 * The weights and LABEL_NOISE were tuned with data/check-churn.py to the profile's model scores.
 */
function churnPropensity(customers: Customers, row: number): number {
  const at = (column: number[]) => column[row] as number;
  const intlPlan = customers.intlPlan[row] === true;
  const custServCalls = at(customers.custServCalls);
  const dayMins = at(customers.dayMins);
  const intlMinsAboveAverage = (at(customers.intlMins) - 5.03) / 0.95;
  return (
    0.8 * custServCalls +
    (custServCalls >= 8 ? 1.5 : 0) +
    0.9 * (intlPlan ? -intlMinsAboveAverage : intlMinsAboveAverage) +
    0.4 * dayMins +
    (intlPlan ? 0 : 0.6 * hinge(dayMins - 7)) -
    (customers.vmailPlan[row] === true ? 2 : 0)
  );
}

// Noise on the latent score: the Bayes error a perfect model could not beat.
const LABEL_NOISE = 0.25;

/** Latent-score labelling: the `churners` highest propensities plus noise churn. */
function churnLabels(customers: Customers, churners: number, random: Random): boolean[] {
  const rows = customers.state.length;
  const scores = times(rows, (row) => churnPropensity(customers, row) + random.normal(0, LABEL_NOISE));
  const ranked = times(rows, (row) => row).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || a - b,
  );
  const labels = Array<boolean>(rows).fill(false);
  for (const row of ranked.slice(0, churners)) labels[row] = true;
  return labels;
}

function yesNo(value: boolean | undefined): string {
  return value === true ? "yes" : "no";
}

function csvRow(customers: Customers, churned: boolean, row: number): string {
  const c = customers;
  const fields: Record<ChurnColumn, string | number | undefined> = {
    State: c.state[row],
    "Account Length": c.accountLength[row],
    "Area Code": c.areaCode[row],
    Phone: c.phone[row],
    "Int'l Plan": yesNo(c.intlPlan[row]),
    "VMail Plan": yesNo(c.vmailPlan[row]),
    "VMail Message": c.vmailMessage[row],
    "Day Mins": c.dayMins[row],
    "Day Calls": c.dayCalls[row],
    "Day Charge": c.dayCharge[row],
    "Eve Mins": c.eveMins[row],
    "Eve Calls": c.eveCalls[row],
    "Eve Charge": c.eveCharge[row],
    "Night Mins": c.nightMins[row],
    "Night Calls": c.nightCalls[row],
    "Night Charge": c.nightCharge[row],
    "Intl Mins": c.intlMins[row],
    "Intl Calls": c.intlCalls[row],
    "Intl Charge": c.intlCharge[row],
    "CustServ Calls": c.custServCalls[row],
    "Churn?": churned ? "True." : "False.",
  };
  return CHURN_COLUMNS.map((column) => String(fields[column])).join(",");
}

/** The whole file: header, one line per customer, no trailing newline (as in the real file). */
export function generateChurn({ rows = DEFAULT_ROWS, seed = DEFAULT_SEED }: ChurnOptions = {}): string {
  if (!Number.isInteger(rows) || rows < 2 || rows > MAX_ROWS) {
    throw new Error(`rows must be an integer from 2 to ${MAX_ROWS}, got ${rows}`);
  }
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  const random = new Random(seed);
  const customers = generateCustomers(rows, random);
  const labels = churnLabels(customers, Math.round(rows * CHURN_SHARE), random);
  const lines = labels.map((churned, row) => csvRow(customers, churned, row));
  return [CHURN_COLUMNS.join(","), ...lines].join("\n");
}

function parseIntegerOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new Error(`--${name} must be an integer, got ${value}`);
  return parsed;
}

function main(): void {
  const { values } = parseArgs({
    options: { out: { type: "string" }, rows: { type: "string" }, seed: { type: "string" } },
  });
  const out = resolve(values.out ?? DEFAULT_OUTPUT);
  const rows = parseIntegerOption("rows", values.rows, DEFAULT_ROWS);
  const seed = parseIntegerOption("seed", values.seed, DEFAULT_SEED);
  writeFileSync(out, generateChurn({ rows, seed }));
  console.log(`wrote ${rows} rows (seed ${seed}) to ${out}`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
