/** Tracks a (non-negative) validation loss over iterations: the best so far and when to give up. */
export class EarlyStopping {
  bestLoss = Infinity;
  /** Iterations done when the best loss was reached (0 before any). */
  bestIteration = 0;

  /**
   * @param patience iterations without improvement before stopping
   * @param minRelativeImprovement the fraction of the best loss a new one must improve on to count
   */
  constructor(
    private readonly patience: number,
    private readonly minRelativeImprovement = 0,
  ) {}

  /** Records the loss after `iteration` iterations; true when it is a new best. */
  record(loss: number, iteration: number): boolean {
    const bar = this.bestIteration === 0 ? Infinity : this.bestLoss * (1 - this.minRelativeImprovement);
    if (!(loss < bar)) return false;
    this.bestLoss = loss;
    this.bestIteration = iteration;
    return true;
  }

  shouldStop(iteration: number): boolean {
    return iteration - this.bestIteration >= this.patience;
  }
}
