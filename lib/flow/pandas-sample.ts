/**
 * pandas' `DataFrame.sample(frac=..., random_state=<int>)` row for row, on a port of numpy's
 * legacy `RandomState` (as much of it as `sample` needs).
 *
 * What pandas does (pandas/core/generic.py `NDFrame.sample`, pandas/core/sample.py; the same in
 * pandas 1.x and 2.x):
 *   rs = np.random.RandomState(random_state)            # an int seed
 *   size = round(frac * n_rows)                          # Python round: half to even
 *   idx = rs.choice(n_rows, size=size, replace=False, p=None)
 *   return df.take(idx)                                  # rows in sample order
 *
 * What numpy does (numpy/random/mtrand.pyx):
 *   choice(pop, size, replace=False, p=None) = permutation(pop)[:size]
 *   permutation(pop) = shuffle(arange(pop))
 *   shuffle: for i = n-1 down to 1: j = random_interval(i); swap x[i], x[j]
 *   random_interval(max) (numpy/random/src/distributions/distributions.c): mask = smallest
 *     2^k-1 >= max; draw next_uint32() & mask until the value is <= max (32-bit draws while
 *     max <= 2^32-1, which always holds for an array index here).
 */

import { MT19937, type MT19937State } from "./mt19937.ts";

export { MT19937, type MT19937State } from "./mt19937.ts";

/** The largest population a shuffle here handles: past this JS arrays can't hold it anyway. */
const MAX_POPULATION = 0xffffffff;

function checkCount(value: number, what: string, max = MAX_POPULATION): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${what} must be an integer, got ${String(value)}`);
  }
  if (value < 0 || value > max) {
    throw new RangeError(`${what} must be between 0 and ${max}, got ${value}`);
  }
  return value;
}

/** The sequence of numpy's legacy `np.random.RandomState(seed)` for an integer seed. */
export class LegacyRandomState {
  readonly bitGenerator: MT19937;

  /** `seed`: an integer in 0..2^32-1, as `np.random.RandomState(seed)`. */
  constructor(seed: number) {
    this.bitGenerator = new MT19937(seed);
  }

  /** Like `np.random.RandomState([k0, k1, ...])` (a list seed: init_by_array, another stream). */
  static fromSeedArray(seed: readonly number[]): LegacyRandomState {
    const rs = new LegacyRandomState(0);
    rs.bitGenerator.seedByArray(seed);
    return rs;
  }

  /** One raw 32-bit draw (numpy's `MT19937.random_raw()` for the same state). */
  nextUint32(): number {
    return this.bitGenerator.nextUint32();
  }

  /** `RandomState.random_sample()`: a double in [0, 1). */
  randomSample(): number {
    return this.bitGenerator.nextDouble();
  }

  /** numpy's legacy `random_interval(max)`: a uniform integer in [0, max], max inclusive. */
  randomInterval(max: number): number {
    checkCount(max, "max", 0xffffffff);
    if (max === 0) return 0;
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (;;) {
      const value = (this.bitGenerator.nextUint32() & mask) >>> 0;
      if (value <= max) return value;
    }
  }

  /** `RandomState.shuffle(x)` for a 1-d sequence: in place, Fisher–Yates from the end. */
  shuffle<T>(x: T[]): T[] {
    checkCount(x.length, "length");
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randomInterval(i);
      const tmp = x[i] as T;
      x[i] = x[j] as T;
      x[j] = tmp;
    }
    return x;
  }

  /** `RandomState.permutation(n)` for an integer n: a shuffled `arange(n)`. */
  permutation(n: number): number[] {
    checkCount(n, "n");
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** `RandomState.choice(popSize, size, replace=False)` without `p`: `permutation(popSize)[:size]`. */
  choiceWithoutReplacement(popSize: number, size: number): number[] {
    checkCount(popSize, "popSize");
    checkCount(size, "size");
    if (size > popSize) throw new RangeError(`cannot take a larger sample (${size}) than the population (${popSize}) when replace=False`);
    return this.permutation(popSize).slice(0, size);
  }

  getState(): MT19937State {
    return this.bitGenerator.getState();
  }
}

/** Python 3's `round(x)` for a finite double: ties go to the even integer. */
export function pythonRound(x: number): number {
  if (!Number.isFinite(x)) throw new RangeError(`cannot round ${x} to an integer`);
  const floor = Math.floor(x);
  const diff = x - floor; // exact for doubles
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** How many rows `DataFrame.sample(frac=frac)` takes out of `n`: `round(frac * n)`. */
export function pandasSampleSize(n: number, frac: number): number {
  checkCount(n, "n (the number of rows)");
  if (typeof frac !== "number" || Number.isNaN(frac) || frac < 0 || frac > 1) {
    throw new RangeError(`frac must be a number between 0 and 1 (sampling without replacement), got ${String(frac)}`);
  }
  return pythonRound(frac * n);
}

/**
 * Row positions of `df.sample(frac=frac, random_state=randomState)` for an `n`-row frame:
 * `train` in sample order (what `sample` returns), `test` the other positions in their
 * original order (what `df.drop(train.index)` keeps, for a unique index).
 */
export function pandasSampleIndices(n: number, frac: number, randomState: number): { train: number[]; test: number[] } {
  const size = pandasSampleSize(n, frac);
  const train = new LegacyRandomState(randomState).choiceWithoutReplacement(n, size);
  const taken = new Uint8Array(n);
  for (const i of train) taken[i] = 1;
  const test: number[] = [];
  for (let i = 0; i < n; i++) if (taken[i] === 0) test.push(i);
  return { train, test };
}
