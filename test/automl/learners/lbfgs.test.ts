import { describe, expect, it } from "vitest";
import { minimize } from "../../../lib/automl/learners/lbfgs.ts";

describe("minimize", () => {
  it("finds the minimum of the Rosenbrock function", () => {
    const rosenbrock = (x: Float64Array, grad: Float64Array): number => {
      const [a, b] = [x[0]!, x[1]!];
      grad[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      grad[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    };
    const result = minimize(rosenbrock, Float64Array.of(-1.2, 1), { maxIterations: 500, gradientTolerance: 1e-9 });
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
  });

  it("soft-thresholds a separable quadratic under L1 (the lasso's closed form)", () => {
    // ½‖x − c‖² + λ‖x‖₁ is minimized at sign(c)·max(|c| − λ, 0).
    const c = Float64Array.of(3, -0.5, 0.2, -2);
    const quadratic = (x: Float64Array, grad: Float64Array): number => {
      let value = 0;
      x.forEach((xi, i) => {
        grad[i] = xi - c[i]!;
        value += 0.5 * (xi - c[i]!) ** 2;
      });
      return value;
    };
    const l1 = Float64Array.of(1, 1, 1, 0);
    const result = minimize(quadratic, new Float64Array(4), { l1, maxIterations: 100, gradientTolerance: 1e-10 });
    expect(Array.from(result.x)).toEqual([expect.closeTo(2, 9), 0, 0, expect.closeTo(-2, 9)]);
  });

  it("returns the starting point when the deadline has passed", () => {
    const result = minimize((x, grad) => ((grad[0] = 2 * x[0]!), x[0]! ** 2), Float64Array.of(5), {
      maxIterations: 100,
      gradientTolerance: 1e-9,
      deadline: Date.now() - 1,
    });
    expect(result).toMatchObject({ iterations: 0, value: 25 });
  });
});
