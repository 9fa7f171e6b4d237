import type { Algorithm, SerializedModel, Task } from "./types.ts";

/** Reads a serialized model's fields, failing with the field's name when one is missing or malformed. */
export class SerializedFields {
  constructor(
    private readonly json: SerializedModel,
    private readonly algorithm: Algorithm,
    supportedVersion: number,
  ) {
    if (json.algorithm !== algorithm) throw this.invalid(`algorithm is "${json.algorithm}"`);
    if (json.version !== supportedVersion) {
      throw this.invalid(`version ${json.version} is not supported (this build reads version ${supportedVersion})`);
    }
  }

  task(): Task {
    const task = this.json["task"] as Partial<Record<string, unknown>> | undefined;
    if (task?.["kind"] === "binary" || task?.["kind"] === "regression") return { kind: task["kind"] };
    const classes = task?.["classes"];
    if (task?.["kind"] === "multiclass" && typeof classes === "number" && Number.isInteger(classes) && classes >= 2) {
      return { kind: "multiclass", classes };
    }
    throw this.invalid(`field "task" is not a task: ${JSON.stringify(task)}`);
  }

  number(name: string): number {
    const value = this.json[name];
    if (typeof value !== "number") throw this.invalid(`field "${name}" is not a number`);
    return value;
  }

  string(name: string): string {
    const value = this.json[name];
    if (typeof value !== "string") throw this.invalid(`field "${name}" is not a string`);
    return value;
  }

  numbers(name: string, expectedLength?: number): Float64Array {
    const value = this.json[name];
    if (!Array.isArray(value) || !value.every((item) => typeof item === "number")) {
      throw this.invalid(`field "${name}" is not an array of numbers`);
    }
    if (expectedLength !== undefined && value.length !== expectedLength) {
      throw this.invalid(`field "${name}" has ${value.length} numbers, expected ${expectedLength}`);
    }
    return Float64Array.from(value as number[]);
  }

  invalid(problem: string): Error {
    return new Error(`cannot load ${this.algorithm} model: ${problem}`);
  }
}
