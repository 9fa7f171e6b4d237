import { describe, expect, it } from "vitest";
import { DataFrame } from "danfojs-node";

describe("danfojs-node (installed with the overrides in package.json)", () => {
  it("builds a DataFrame and samples it reproducibly", async () => {
    const frame = new DataFrame({
      State: ["KS", "OH", "NJ", "OH", "OK", "AL", "MA", "MO", "LA", "WV"],
      "Day Mins": [5.1, 2.2, 8.4, 1.3, 9.9, 4.4, 6.6, 7.2, 3.0, 0.5],
      "Churn?": ["False.", "True.", "False.", "True.", "True.", "False.", "False.", "True.", "False.", "True."],
    });
    expect(frame.shape).toEqual([10, 3]);
    expect(frame.columns).toEqual(["State", "Day Mins", "Churn?"]);

    const first = await frame.sample(8, { seed: 200 });
    const again = await frame.sample(8, { seed: 200 });
    expect(first.shape).toEqual([8, 3]);
    expect(first.index).toEqual(again.index);
    expect(new Set(first.index).size).toBe(8);
    const dayMins = first.column("Day Mins").values as number[];
    const allDayMins = frame.column("Day Mins").values as number[];
    expect(dayMins.every((v) => allDayMins.includes(v))).toBe(true);
    expect(frame["Churn?"].valueCounts().values.sort()).toEqual([5, 5]);
  });
});
