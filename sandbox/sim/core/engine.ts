import type { SimClock } from './clock.js';

/** Runs the simulated account's `step` every `tickMs` real ms, or fast-forwards simulated time through it. */
export class Engine {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly step: () => void,
    private readonly clock: SimClock,
    private readonly tickMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.step(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Fast-forwards simulated time in small jumps until `done` holds (or the limit passes). */
  fastForward(done: () => boolean, maxSimSeconds = 3600, jumpSeconds = 0.5): boolean {
    for (let elapsed = 0; elapsed < maxSimSeconds; elapsed += jumpSeconds) {
      this.step();
      if (done()) return true;
      this.clock.skip(jumpSeconds);
    }
    this.step();
    return done();
  }
}
