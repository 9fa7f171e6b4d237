/**
 * Minimizes smooth(x) + Σ l1[i]·|x[i]| with limited-memory BFGS; with L1 terms, as OWL-QN
 * (Andrew & Gao, 2007): steps follow the pseudo-gradient and never cross an orthant, so
 * coordinates settle at exactly zero. Deterministic: no randomness anywhere.
 */
export interface MinimizeOptions {
  /** L1 penalty per coordinate, 0 for unpenalized ones; none when absent. */
  l1?: Float64Array;
  maxIterations: number;
  /** Converged when no pseudo-gradient component exceeds this. */
  gradientTolerance: number;
  /** Date.now() milliseconds after which the current point is returned. */
  deadline?: number;
  /** Curvature pairs kept. */
  memory?: number;
}

export interface MinimizeResult {
  x: Float64Array;
  value: number;
  iterations: number;
}

/** Writes the gradient of the smooth part at x into `grad` and returns its value. */
export type SmoothFunction = (x: Float64Array, grad: Float64Array) => number;

/** Armijo's sufficient-decrease constant. */
const SUFFICIENT_DECREASE = 1e-4;
const MAX_STEP_HALVINGS = 50;
/** Converged too when an iteration lowers the objective by less than this, relatively. */
const RELATIVE_DECREASE_TOLERANCE = 1e-13;

export function minimize(smooth: SmoothFunction, x0: Float64Array, options: MinimizeOptions): MinimizeResult {
  const n = x0.length;
  const l1 = options.l1;
  const objective = (point: Float64Array, grad: Float64Array): number => smooth(point, grad) + l1Norm(point, l1);
  const history = new CurvatureHistory(n, options.memory ?? 10);
  let x = x0.slice();
  let grad = new Float64Array(n);
  let value = objective(x, grad);
  let candidate = new Float64Array(n);
  let candidateGrad = new Float64Array(n);
  const pseudoGrad = new Float64Array(n);
  const direction = new Float64Array(n);

  let iterations = 0;
  while (iterations < options.maxIterations) {
    pseudoGradient(x, grad, l1, pseudoGrad);
    if (maxAbs(pseudoGrad) <= options.gradientTolerance) break;
    if (options.deadline !== undefined && Date.now() >= options.deadline) break;

    history.applyInverseHessian(pseudoGrad, direction);
    for (let i = 0; i < n; i++) {
      direction[i] = -direction[i]!;
      // OWL-QN: keep only the components that descend along the pseudo-gradient.
      if (l1 && direction[i]! * pseudoGrad[i]! >= 0) direction[i] = 0;
    }
    if (dot(direction, pseudoGrad) >= 0) {
      history.clear();
      for (let i = 0; i < n; i++) direction[i] = -pseudoGrad[i]!;
    }

    let step = history.size === 0 ? Math.min(1, 1 / Math.sqrt(dot(pseudoGrad, pseudoGrad))) : 1;
    let candidateValue = Infinity;
    let accepted = false;
    for (let halving = 0; halving < MAX_STEP_HALVINGS; halving++, step /= 2) {
      let predictedDecrease = 0;
      for (let i = 0; i < n; i++) {
        let next = x[i]! + step * direction[i]!;
        // Stay in the orthant of x (or, at zero, of the descent direction).
        if (l1 && l1[i]! > 0) {
          const orthant = x[i] !== 0 ? Math.sign(x[i]!) : -Math.sign(pseudoGrad[i]!);
          if (next * orthant <= 0) next = 0;
        }
        candidate[i] = next;
        predictedDecrease += pseudoGrad[i]! * (next - x[i]!);
      }
      candidateValue = objective(candidate, candidateGrad);
      if (candidateValue <= value + SUFFICIENT_DECREASE * predictedDecrease) {
        accepted = true;
        break;
      }
    }
    if (!accepted) break;

    history.add(x, candidate, grad, candidateGrad);
    const decrease = value - candidateValue;
    [x, candidate] = [candidate, x];
    [grad, candidateGrad] = [candidateGrad, grad];
    value = candidateValue;
    iterations++;
    if (decrease <= RELATIVE_DECREASE_TOLERANCE * Math.abs(value)) break;
  }
  return { x, value, iterations };
}

/** The last few (s, y) pairs: steps and changes of the smooth gradient. */
class CurvatureHistory {
  private readonly steps: Float64Array[] = [];
  private readonly gradChanges: Float64Array[] = [];
  private readonly rho: number[] = [];
  private readonly alpha: Float64Array;

  constructor(
    private readonly n: number,
    private readonly capacity: number,
  ) {
    this.alpha = new Float64Array(capacity);
  }

  get size(): number {
    return this.steps.length;
  }

  clear(): void {
    this.steps.length = 0;
    this.gradChanges.length = 0;
    this.rho.length = 0;
  }

  /** Records a step, unless it shows no positive curvature (which would break the update). */
  add(from: Float64Array, to: Float64Array, gradFrom: Float64Array, gradTo: Float64Array): void {
    const reuse = this.steps.length === this.capacity;
    const step = reuse ? this.steps.shift()! : new Float64Array(this.n);
    const gradChange = reuse ? this.gradChanges.shift()! : new Float64Array(this.n);
    if (reuse) this.rho.shift();
    for (let i = 0; i < this.n; i++) {
      step[i] = to[i]! - from[i]!;
      gradChange[i] = gradTo[i]! - gradFrom[i]!;
    }
    const curvature = dot(step, gradChange);
    if (!(curvature > 1e-16 * Math.sqrt(dot(step, step) * dot(gradChange, gradChange)))) return;
    this.steps.push(step);
    this.gradChanges.push(gradChange);
    this.rho.push(1 / curvature);
  }

  /** out = H·v, H the L-BFGS inverse-Hessian estimate (the two-loop recursion). */
  applyInverseHessian(v: Float64Array, out: Float64Array): void {
    out.set(v);
    const count = this.steps.length;
    for (let k = count - 1; k >= 0; k--) {
      const a = this.rho[k]! * dot(this.steps[k]!, out);
      this.alpha[k] = a;
      axpy(-a, this.gradChanges[k]!, out);
    }
    if (count > 0) {
      const newest = this.gradChanges[count - 1]!;
      scale(out, 1 / (this.rho[count - 1]! * dot(newest, newest)));
    }
    for (let k = 0; k < count; k++) {
      const b = this.rho[k]! * dot(this.gradChanges[k]!, out);
      axpy(this.alpha[k]! - b, this.steps[k]!, out);
    }
  }
}

/** The gradient of smooth + L1 where defined; at zero, the one-sided derivative that descends, or 0. */
function pseudoGradient(x: Float64Array, grad: Float64Array, l1: Float64Array | undefined, out: Float64Array): void {
  for (let i = 0; i < x.length; i++) {
    const penalty = l1?.[i] ?? 0;
    const g = grad[i]!;
    if (penalty === 0) out[i] = g;
    else if (x[i]! > 0) out[i] = g + penalty;
    else if (x[i]! < 0) out[i] = g - penalty;
    else if (g + penalty < 0) out[i] = g + penalty;
    else if (g - penalty > 0) out[i] = g - penalty;
    else out[i] = 0;
  }
}

function l1Norm(x: Float64Array, l1: Float64Array | undefined): number {
  if (!l1) return 0;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += l1[i]! * Math.abs(x[i]!);
  return sum;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i]! += a * x[i]!;
}

function scale(x: Float64Array, factor: number): void {
  for (let i = 0; i < x.length; i++) x[i]! *= factor;
}

function maxAbs(x: Float64Array): number {
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i]!));
  return max;
}
