import { describe, expect, it } from "vitest";
import { Random } from "../../../lib/automl/learners/random.ts";

describe("Random", () => {
  it("repeats its sequence for a seed, and only for that seed", () => {
    const draw = (seed: number): number[] => {
      const random = new Random(seed);
      return Array.from({ length: 5 }, () => random.nextUint32());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(8)).not.toEqual(draw(7));
    // Pinned (and checked against a Python transcription of xoshiro128**): a change of
    // generator would silently change every seeded result.
    expect(draw(7)).toEqual([1004282400, 2200021487, 1928073449, 741806228, 2429532727]);
  });

  it("draws uniform floats in [0, 1) and standard normals", () => {
    const random = new Random(1);
    const uniform = Array.from({ length: 20_000 }, () => random.next());
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...uniform)).toBeLessThan(1);
    expect(uniform.reduce((sum, u) => sum + u, 0) / uniform.length).toBeCloseTo(0.5, 2);
    const normal = Array.from({ length: 20_000 }, () => random.normal());
    const mean = normal.reduce((sum, z) => sum + z, 0) / normal.length;
    const variance = normal.reduce((sum, z) => sum + (z - mean) ** 2, 0) / normal.length;
    expect(mean).toBeCloseTo(0, 1);
    expect(variance).toBeCloseTo(1, 1);
  });

  it("shuffles into a permutation and samples distinct sorted indices", () => {
    const random = new Random(2);
    const values = Int32Array.from({ length: 100 }, (_, i) => i);
    random.shuffle(values);
    expect(Array.from(values).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    const sample = Array.from(random.sampleSorted(50, 10));
    expect(new Set(sample).size).toBe(10);
    expect(sample).toEqual([...sample].sort((a, b) => a - b));
    expect(sample.every((i) => i >= 0 && i < 50)).toBe(true);
  });
});
