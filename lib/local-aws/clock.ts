/** The server's idea of now; tests move it forward to expire sessions without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock running with the system clock plus an offset that only grows. */
export class OffsetClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error("the clock only moves forward");
    this.offsetMs += ms;
  }

  get offset(): number {
    return this.offsetMs;
  }
}
