import { reconcileAll } from './deployments.js';
import { stepTasks } from './task-lifecycle.js';
import type { World } from './world.js';

/** Advances the simulated account: due task steps first, then every service's scheduler. */
export function step(world: World): void {
  stepTasks(world);
  reconcileAll(world);
}

export class Engine {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly world: World,
    private readonly tickMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => step(this.world), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Fast-forwards simulated time in small jumps until `done` holds (or the limit passes). */
  fastForward(done: () => boolean, maxSimSeconds = 3600, jumpSeconds = 0.5): boolean {
    for (let elapsed = 0; elapsed < maxSimSeconds; elapsed += jumpSeconds) {
      step(this.world);
      if (done()) return true;
      this.world.clock.skip(jumpSeconds);
    }
    step(this.world);
    return done();
  }
}
