import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { LegacyRandomState, MT19937, pandasSampleIndices, pandasSampleSize, pythonRound } from "../../lib/flow/pandas-sample.ts";
import { DEBIAN_PYTHON, mustHavePeers } from "../helpers/peer-clients.ts";

const run = promisify(execFile);

describe("MT19937 as numpy seeds it", () => {
  it("an int seed is init_genrand (numpy's mt19937_seed), not init_by_array([seed])", () => {
    // numpy: RandomState(200).get_state()[1][:3] and MT19937()._legacy_seeding(200); random_raw(3)
    const rs = new LegacyRandomState(200);
    expect(Array.from(rs.getState().key.slice(0, 3))).toEqual([200, 1709397737, 478900618]);
    expect(rs.getState().pos).toBe(624);
    expect([rs.nextUint32(), rs.nextUint32(), rs.nextUint32()]).toEqual([4070049562, 2122330729, 973013776]);
    // RandomState([200]) (a list) goes through init_by_array: another stream.
    const listSeeded = LegacyRandomState.fromSeedArray([200]);
    expect(Array.from(listSeeded.getState().key.slice(0, 3))).toEqual([2147483648, 1933950559, 4217180487]);
  });

  it("matches the Mersenne Twister reference outputs (mt19937ar)", () => {
    expect(new MT19937(5489).nextUint32()).toBe(3499211612);
    const mt = new MT19937(0);
    mt.seedByArray([0x123, 0x234, 0x345, 0x456]);
    expect([mt.nextUint32(), mt.nextUint32(), mt.nextUint32()]).toEqual([1067595299, 955945823, 477289528]);
  });

  it("rejects seeds numpy rejects", () => {
    expect(() => new LegacyRandomState(-1)).toThrow(/between 0 and 2\*\*32 - 1/);
    expect(() => new LegacyRandomState(2 ** 32)).toThrow(/between 0 and 2\*\*32 - 1/);
    expect(() => new LegacyRandomState(1.5)).toThrow(/integer/);
    expect(() => new LegacyRandomState(Number.NaN)).toThrow(/integer/);
    expect(() => LegacyRandomState.fromSeedArray([])).toThrow(/non-empty/);
    expect(() => new LegacyRandomState(2 ** 32 - 1)).not.toThrow();
  });
});

describe("LegacyRandomState.permutation and pandasSampleIndices", () => {
  it("reproduces the blog's split (churn.sample(frac=0.8, random_state=200) on 5,000 rows)", () => {
    const { train, test } = pandasSampleIndices(5000, 0.8, 200);
    expect(train).toHaveLength(4000);
    expect(test).toHaveLength(1000);
    expect(train.slice(0, 3)).toEqual([3019, 2198, 432]);
    expect(test.slice(0, 5)).toEqual([2, 17, 18, 37, 39]);
    expect(train).toEqual(new LegacyRandomState(200).permutation(5000).slice(0, 4000));
    expect([...train, ...test].sort((a, b) => a - b)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(test).toEqual([...test].sort((a, b) => a - b));
  });

  it("permutation is a permutation, deterministic per seed", () => {
    const p = new LegacyRandomState(7).permutation(1000);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(new LegacyRandomState(7).permutation(1000)).toEqual(p);
    expect(new LegacyRandomState(8).permutation(1000)).not.toEqual(p);
    expect(new LegacyRandomState(1).permutation(0)).toEqual([]);
    expect(new LegacyRandomState(1).permutation(1)).toEqual([0]);
  });

  it("randomInterval stays within [0, max] with the masked rejection", () => {
    const rs = new LegacyRandomState(3);
    for (const max of [0, 1, 2, 3, 4, 5, 1000, 1023, 1024, 2 ** 31, 2 ** 32 - 1]) {
      for (let k = 0; k < 50; k++) {
        const v = rs.randomInterval(max);
        expect(Number.isInteger(v) && v >= 0 && v <= max).toBe(true);
      }
    }
  });

  it("rounds frac * n like Python's round (half to even)", () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4999, 2.5001, 0, 7].map(pythonRound)).toEqual([0, 2, 2, 4, 2, 3, 0, 7]);
    expect(pandasSampleSize(5, 0.5)).toBe(2);
    expect(pandasSampleSize(7, 0.5)).toBe(4);
    expect(pandasSampleSize(4999, 0.8)).toBe(3999);
    expect(pandasSampleSize(10, 0)).toBe(0);
    expect(pandasSampleSize(10, 1)).toBe(10);
  });

  it("rejects bad arguments clearly", () => {
    expect(() => pandasSampleIndices(10, 1.1, 0)).toThrow(/frac must be a number between 0 and 1/);
    expect(() => pandasSampleIndices(10, -0.1, 0)).toThrow(/frac must be a number between 0 and 1/);
    expect(() => pandasSampleIndices(10, Number.NaN, 0)).toThrow(/frac/);
    expect(() => pandasSampleIndices(10, 0.5, 0.5)).toThrow(/seed must be an integer/);
    expect(() => pandasSampleIndices(10, 0.5, -1)).toThrow(/seed must be between 0 and 2\*\*32 - 1/);
    expect(() => pandasSampleIndices(10, 0.5, 2 ** 32)).toThrow(/seed must be between 0 and 2\*\*32 - 1/);
    expect(() => pandasSampleIndices(-1, 0.5, 0)).toThrow(/n \(the number of rows\)/);
    expect(() => pandasSampleIndices(2.5, 0.5, 0)).toThrow(/n \(the number of rows\) must be an integer/);
    expect(() => new LegacyRandomState(0).choiceWithoutReplacement(3, 4)).toThrow(/larger sample/);
  });
});

// ---- cross-check against the real numpy / pandas (Debian's, under /usr/bin/python3) ----

async function numpyPandasAvailable(): Promise<boolean> {
  if (!existsSync(DEBIAN_PYTHON)) return false;
  return run(DEBIAN_PYTHON, ["-c", "import numpy, pandas"]).then(() => true, () => false);
}

const available = await numpyPandasAvailable();
const required = mustHavePeers();

const PERMUTATIONS: Array<[n: number, seed: number]> = [
  [5000, 200],
  [0, 0],
  [1, 5],
  [2, 1],
  [10, 0],
  [624, 1],
  [1000, 42],
  [1025, 4294967295],
  [65537, 12345],
  [70000, 7],
];
const RAW_SEEDS = [0, 1, 200, 5489, 2147483648, 4294967295];
const ARRAY_SEEDS: number[][] = [[200], [1, 2, 3], Array.from({ length: 700 }, (_, i) => (i * 2654435761) % 2 ** 32)];
const SAMPLES: Array<[n: number, frac: number, seed: number]> = [
  [5000, 0.8, 200],
  [4999, 0.8, 200],
  [5, 0.5, 3],
  [7, 0.5, 3],
  [3, 0.5, 0],
  [1, 0.5, 0],
  [10, 0.25, 1],
  [10, 0.35, 2],
  [100, 0, 9],
  [100, 1, 9],
  [333, 0.3, 4294967295],
];

const PY = String.raw`
import json, sys
import numpy as np, pandas as pd
req = json.load(sys.stdin)
out = {"versions": [np.__version__, pd.__version__], "perm": [], "raw": [], "arr": [], "dbl": [], "sample": []}
for n, seed in req["perm"]:
    out["perm"].append(np.random.RandomState(seed).permutation(n).tolist())
for seed in req["raw"]:
    bg = np.random.MT19937()
    bg._legacy_seeding(seed)
    state = np.random.RandomState(seed).get_state()
    out["raw"].append({"key": state[1].tolist(), "pos": int(state[2]), "raw": bg.random_raw(1500).tolist()})
for seed in req["arr"]:
    rs = np.random.RandomState(seed)
    state = rs.get_state()
    out["arr"].append({"key": state[1].tolist(), "perm": rs.permutation(50).tolist()})
out["dbl"] = np.random.RandomState(200).random_sample(700).tolist()
for n, frac, seed in req["sample"]:
    df = pd.DataFrame({"x": np.arange(n)})
    train = df.sample(frac=frac, random_state=seed)
    test = df.drop(train.index)
    out["sample"].append({"size": round(frac * n), "train": train.index.tolist(), "test": test.index.tolist(),
                          "choice": np.random.RandomState(seed).choice(n, size=round(frac * n), replace=False).tolist()})
json.dump(out, sys.stdout)
`;

interface PyOut {
  versions: [string, string];
  perm: number[][];
  raw: Array<{ key: number[]; pos: number; raw: number[] }>;
  arr: Array<{ key: number[]; perm: number[] }>;
  dbl: number[];
  sample: Array<{ size: number; train: number[]; test: number[]; choice: number[] }>;
}

describe.runIf(available || required)("cross-check against numpy and pandas (/usr/bin/python3)", () => {
  let py: PyOut;

  beforeAll(async () => {
    if (!available) return;
    const input = JSON.stringify({ perm: PERMUTATIONS, raw: RAW_SEEDS, arr: ARRAY_SEEDS, sample: SAMPLES });
    const child = run(DEBIAN_PYTHON, ["-c", PY], { maxBuffer: 256 * 1024 * 1024, timeout: 60_000 });
    child.child.stdin?.end(input);
    py = JSON.parse((await child).stdout) as PyOut;
  });

  it("numpy and pandas are installed (CI requires them)", () => {
    expect(available).toBe(true);
    expect(py.versions).toHaveLength(2);
  });

  it("integer seeding and raw 32-bit outputs equal numpy's (state, random_raw across 3 regenerations)", () => {
    RAW_SEEDS.forEach((seed, k) => {
      const want = py.raw[k]!;
      const rs = new LegacyRandomState(seed);
      const state = rs.getState();
      expect(Array.from(state.key), `key for seed ${seed}`).toEqual(want.key);
      expect(state.pos).toBe(want.pos);
      expect(Array.from({ length: 1500 }, () => rs.nextUint32()), `raw for seed ${seed}`).toEqual(want.raw);
    });
  });

  it("array seeding (init_by_array) equals numpy's RandomState(list)", () => {
    ARRAY_SEEDS.forEach((seed, k) => {
      const want = py.arr[k]!;
      const rs = LegacyRandomState.fromSeedArray(seed);
      expect(Array.from(rs.getState().key), `key for seed array #${k}`).toEqual(want.key);
      expect(rs.permutation(50)).toEqual(want.perm);
    });
  });

  it("random_sample equals numpy's bit for bit", () => {
    const rs = new LegacyRandomState(200);
    expect(Array.from({ length: 700 }, () => rs.randomSample())).toEqual(py.dbl);
  });

  it("permutation(n) equals numpy's RandomState(seed).permutation(n), in full", () => {
    PERMUTATIONS.forEach(([n, seed], k) => {
      expect(new LegacyRandomState(seed).permutation(n), `permutation(${n}) seed ${seed}`).toEqual(py.perm[k]);
    });
  });

  it("pandasSampleIndices equals DataFrame.sample(frac, random_state).index and the drop() complement", () => {
    SAMPLES.forEach(([n, frac, seed], k) => {
      const want = py.sample[k]!;
      const got = pandasSampleIndices(n, frac, seed);
      expect(pandasSampleSize(n, frac), `size for n=${n} frac=${frac}`).toBe(want.size);
      expect(got.train, `train for n=${n} frac=${frac} seed=${seed}`).toEqual(want.train);
      expect(got.test, `test for n=${n} frac=${frac} seed=${seed}`).toEqual(want.test);
      expect(new LegacyRandomState(seed).choiceWithoutReplacement(n, want.size)).toEqual(want.choice);
    });
    const blog = py.sample[0]!;
    expect(blog.train.slice(0, 3)).toEqual([3019, 2198, 432]);
    expect(blog.test.slice(0, 5)).toEqual([2, 17, 18, 37, 39]);
  });
});
