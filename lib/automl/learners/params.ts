import type { Algorithm, ParamValue, Params } from "./types.ts";

/**
 * Reads a learner's hyperparameters: given values over the learner's defaults, each checked for
 * type and range. Names missing from the defaults are rejected, so a typo fails loudly.
 */
export class ParamReader {
  constructor(
    private readonly algorithm: Algorithm,
    private readonly defaults: Params,
    private readonly given: Params,
  ) {
    for (const name of Object.keys(given)) {
      if (!Object.hasOwn(defaults, name)) {
        throw new Error(
          `${algorithm}: unknown hyperparameter "${name}" (known: ${Object.keys(defaults).join(", ")})`,
        );
      }
    }
  }

  number(name: string, min: number, max: number): number {
    const value = this.value(name);
    if (typeof value !== "number" || Number.isNaN(value) || value < min || value > max) {
      throw this.invalid(name, value, `a number in [${min}, ${max}]`);
    }
    return value;
  }

  int(name: string, min: number, max: number): number {
    const value = this.number(name, min, max);
    if (!Number.isInteger(value)) throw this.invalid(name, value, "an integer");
    return value;
  }

  choice<T extends string>(name: string, values: readonly T[]): T {
    const value = this.value(name);
    const match = values.find((candidate) => candidate === value);
    if (match === undefined) throw this.invalid(name, value, `one of ${values.join(", ")}`);
    return match;
  }

  private value(name: string): ParamValue {
    const value = this.given[name] ?? this.defaults[name];
    if (value === undefined) throw new Error(`${this.algorithm}: hyperparameter "${name}" has no default`);
    return value;
  }

  private invalid(name: string, value: ParamValue, expected: string): Error {
    return new Error(`${this.algorithm}: hyperparameter "${name}" must be ${expected}, got ${JSON.stringify(value)}`);
  }
}
