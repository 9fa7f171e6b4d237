import { describe, expect, it } from "vitest";
import { parseCommand, UsageError } from "../../lib/automl/cli-args.ts";

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
