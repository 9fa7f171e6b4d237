import { describe, expect, it } from "vitest";
import { parseCommand, UsageError, USAGE } from "../../lib/automl/cli-args.ts";

describe("automl command line", () => {
  it("reads train with every option", () => {
    const argv = ["train", "--data", "d.csv", "--target", "Churn?", "--out", "model", "--problem-type", "BinaryClassification", "--objective", "AUC"];
    const more = ["--max-candidates", "5", "--ensembling", "none", "--max-runtime", "60", "--max-runtime-per-candidate", "10.5", "--seed", "7", "--workers", "1"];
    expect(parseCommand([...argv, ...more])).toEqual({
      command: "train",
      data: "d.csv",
      target: "Churn?",
      out: "model",
      settings: { problemType: "BinaryClassification", objective: "AUC", maxCandidates: 5, ensembling: "none", maxRuntimeSeconds: 60, maxRuntimePerCandidateSeconds: 10.5, seed: 7, workers: 1 },
    });
  });

  it("reads predict, with or without --out", () => {
    expect(parseCommand(["predict", "--model", "m", "--data", "rows.csv"])).toEqual({ command: "predict", model: "m", data: "rows.csv", header: true, probabilities: false });
    expect(parseCommand(["predict", "--model", "m", "--data", "rows.csv", "--out", "p.csv"])).toMatchObject({ out: "p.csv" });
  });

  it("shows the usage when asked or given nothing", () => {
    expect(parseCommand([])).toEqual({ command: "help" });
    expect(parseCommand(["--help"])).toEqual({ command: "help" });
  });

  it("lists every option it reads in the help, with its meaning and its default or that it is required", () => {
    const flags = [...USAGE.matchAll(/^ {4}--([a-z-]+)(?: \S+)?\n {8}(.+)$/gm)];
    expect(flags.map((flag) => flag[1])).toEqual(["data", "target", "out", "problem-type", "objective", "max-candidates", "ensembling", "max-runtime", "max-runtime-per-candidate", "seed", "workers", "min-rows", "positive-class", "model", "data", "out", "no-header", "probabilities"]);
    for (const [, , text] of flags) expect(text).toMatch(/ (Required|Default: .+)\.$/);
    expect(USAGE).toContain("--max-candidates N\n        How many candidates to train. Default: 10.");
    expect(parseCommand(["train", "--data", "d.csv", "--target", "t", "--out", "m", "--min-rows", "100", "--positive-class", "yes"])).toMatchObject({ settings: { minRows: 100, positiveClass: "yes" } });
    expect(parseCommand(["predict", "--model", "m", "--data", "d.csv", "--no-header", "--probabilities"])).toMatchObject({ header: false, probabilities: true });
  });

  it("names what is wrong", () => {
    const wrong = (argv: string[], message: string) => expect(() => parseCommand(argv)).toThrow(new UsageError(message));
    wrong(["fly"], 'Unknown command "fly"; use train or predict.');
    wrong(["train", "--data", "d.csv", "--out", "m"], "--target is required.");
    wrong(["train", "--data", "d.csv", "--target", "y", "--out", "m", "--max-candidates", "many"], '--max-candidates takes a number, got "many".');
    wrong(["train", "--data", "d.csv", "--target", "y", "--out", "m", "--ensembling", "stacked"], '--ensembling takes final, trials, none, got "stacked".');
    wrong(["predict", "--model", "m"], "--data is required.");
    expect(() => parseCommand(["predict", "--model", "m", "--data", "x", "extra"])).toThrow(UsageError);
  });
});
