import type { ParamRange, ParamValue, Params, SearchSpace } from "../learners/types.ts";
import type { Random } from "../rng.ts";

/** Draws one value per hyperparameter: uniform, or log-uniform where the range asks for it. */
export function sampleParams(space: SearchSpace, random: Random): Params {
  const params: Params = {};
  for (const name of Object.keys(space).sort()) params[name] = sampleValue(space[name]!, random);
  return params;
}

function sampleValue(range: ParamRange, random: Random): ParamValue {
  if (range.type === "choice") return range.values[random.int(range.values.length)]!;
  const u = random.next();
  if (range.type === "float") return range.log ? Math.exp(lerp(Math.log(range.low), Math.log(range.high), u)) : lerp(range.low, range.high, u);
  // Integers: spread the draw over [low, high + 1) so both ends are as likely as the rest.
  const value = range.log ? Math.exp(lerp(Math.log(range.low), Math.log(range.high + 1), u)) : lerp(range.low, range.high + 1, u);
  return Math.min(range.high, Math.floor(value));
}

function lerp(low: number, high: number, u: number): number {
  return low + (high - low) * u;
}
