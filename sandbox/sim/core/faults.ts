import type { FaultOptions } from '../model.js';
import { seededRandom } from '../../random.js';

export type FaultDecision = 'none' | 'throttle' | 'server-error' | 'drop';

/** Decides, per request and before it is handled, whether to inject a fault (so a retry is always safe). */
export class FaultInjector {
  private options: FaultOptions = {};
  private random: () => number = Math.random;

  set(options: FaultOptions): void {
    this.options = { ...options };
    this.random = options.seed === undefined ? Math.random : seededRandom(options.seed);
  }

  clear(): void {
    this.set({});
  }

  decide(operation: string): FaultDecision {
    const { throttleRate = 0, serverErrorRate = 0, dropRate = 0, operations } = this.options;
    if (throttleRate + serverErrorRate + dropRate <= 0) return 'none';
    if (operations && !operations.includes(operation)) return 'none';
    const draw = this.random();
    if (draw < dropRate) return 'drop';
    if (draw < dropRate + throttleRate) return 'throttle';
    if (draw < dropRate + throttleRate + serverErrorRate) return 'server-error';
    return 'none';
  }
}
