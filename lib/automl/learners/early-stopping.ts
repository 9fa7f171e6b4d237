/** Tracks a validation loss over iterations: the best one so far and when to give up. */
export class EarlyStopping {
  bestLoss = Infinity;
  /** Iterations done when the best loss was reached (0 before any). */
  bestIteration = 0;

  /**
   * @param patience iterations without improvement before stopping
   * @param minRelativeImprovement how much lower than the best a loss must be to count
   */
  constructor(
    private readonly patience: number,
    private readonly minRelativeImprovement = 0,
  ) {}

  /** Records the loss after `iteration` iterations; true when it is a new best. */
  record(loss: number, iteration: number): boolean {
    if (!(loss < this.bestLoss - this.minRelativeImprovement * Math.abs(this.bestLoss))) return false;
    this.bestLoss = loss;
    this.bestIteration = iteration;
    return true;
  }

  shouldStop(iteration: number): boolean {
    return iteration - this.bestIteration >= this.patience;
  }
}
