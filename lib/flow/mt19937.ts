/**
 * The 32-bit Mersenne Twister (MT19937) exactly as numpy's legacy `RandomState` drives it.
 *
 * Two seedings exist in numpy (numpy/random/_mt19937.pyx, `_legacy_seeding`, and
 * numpy/random/src/mt19937/mt19937.c):
 *
 * - an integer seed (anything `operator.index` accepts, 0..2^32-1) goes to `mt19937_seed`:
 *   Knuth's linear recurrence `key[i] = 1812433253 * (key[i-1] ^ (key[i-1] >>> 30)) + i`,
 *   which is the reference `init_genrand`. It is NOT `init_by_array([seed])`.
 * - a sequence seed (e.g. the list `[200]`) goes to `mt19937_init_by_array`, which gives a
 *   different stream (`RandomState(200)` != `RandomState([200])`).
 *
 * All arithmetic is modulo 2^32; `Math.imul` gives the low 32 bits of a product, `>>> 0`
 * makes a value unsigned again.
 */

export const MT_N = 624;
const MT_M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;
const MAX_UINT32 = 0xffffffff;

export interface MT19937State {
  /** The 624-word key, as numpy's `get_state()[1]`. */
  key: Uint32Array;
  /** Position of the next word to temper, as numpy's `get_state()[2]` (624 = regenerate first). */
  pos: number;
}

function checkUint32(value: number, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new TypeError(`${what} must be an integer, got ${String(value)}`);
  }
  if (value < 0 || value > MAX_UINT32) {
    throw new RangeError(`${what} must be between 0 and 2**32 - 1, got ${value}`);
  }
  return value;
}

export class MT19937 {
  private readonly key = new Uint32Array(MT_N);
  private pos = MT_N;

  /** Seeds from an integer like numpy's `RandomState(seed)` / `MT19937()._legacy_seeding(seed)`. */
  constructor(seed: number) {
    this.seed(seed);
  }

  /** numpy's `mt19937_seed` (the reference `init_genrand`). */
  seed(seed: number): void {
    let s = checkUint32(seed, "seed");
    for (let i = 0; i < MT_N; i++) {
      this.key[i] = s;
      s = (Math.imul(1812433253, (s ^ (s >>> 30)) >>> 0) + i + 1) >>> 0;
    }
    this.pos = MT_N;
  }

  /** numpy's `mt19937_init_by_array` (what `RandomState([a, b, ...])` uses for a sequence seed). */
  seedByArray(initKey: readonly number[]): void {
    if (initKey.length === 0) throw new RangeError("seed array must be non-empty");
    const k32 = initKey.map((v, idx) => checkUint32(v, `seed[${idx}]`));
    this.seed(19650218);
    const mt = this.key;
    let i = 1;
    let j = 0;
    for (let k = Math.max(MT_N, k32.length); k > 0; k--) {
      const prev = mt[i - 1]!;
      mt[i] = ((mt[i]! ^ Math.imul((prev ^ (prev >>> 30)) >>> 0, 1664525)) >>> 0) + k32[j]! + j;
      i++;
      j++;
      if (i >= MT_N) {
        mt[0] = mt[MT_N - 1]!;
        i = 1;
      }
      if (j >= k32.length) j = 0;
    }
    for (let k = MT_N - 1; k > 0; k--) {
      const prev = mt[i - 1]!;
      mt[i] = ((mt[i]! ^ Math.imul((prev ^ (prev >>> 30)) >>> 0, 1566083941)) >>> 0) - i;
      i++;
      if (i >= MT_N) {
        mt[0] = mt[MT_N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    this.pos = MT_N;
  }

  /** Regenerates all 624 words (numpy's `mt19937_gen`). */
  private generate(): void {
    const mt = this.key;
    for (let i = 0; i < MT_N; i++) {
      const y = (mt[i]! & UPPER_MASK) | (mt[(i + 1) % MT_N]! & LOWER_MASK);
      mt[i] = mt[(i + MT_M) % MT_N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.pos = 0;
  }

  /** The next tempered 32-bit output, 0..2^32-1 (numpy's `mt19937_next32`, `random_raw`). */
  nextUint32(): number {
    if (this.pos >= MT_N) this.generate();
    let y = this.key[this.pos++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits (numpy's `mt19937_next_double`). */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** A copy of the state, comparable with numpy's `RandomState.get_state()`. */
  getState(): MT19937State {
    return { key: Uint32Array.from(this.key), pos: this.pos };
  }
}
