/**
 * Simulated time. Durations are scripted in simulated seconds and scaled to real time; every timestamp the
 * simulator reports is real wall-clock time, so clients comparing with their own Date.now() stay consistent.
 */
export class SimClock {
  private readonly realStart = Date.now();
  private skippedMs = 0;

  /** @param timeScale real seconds per simulated second */
  constructor(readonly timeScale: number) {}

  /** Simulated ms since the simulator started. */
  now(): number {
    return (Date.now() - this.realStart) / this.timeScale + this.skippedMs;
  }

  /** Jumps simulated time forward (used to seed an account without waiting). */
  skip(simSeconds: number): void {
    this.skippedMs += simSeconds * 1000;
  }

  wall(): number {
    return Date.now();
  }
}
