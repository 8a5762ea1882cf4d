import type { FaultOptions } from '../model.js';
import { seededRandom } from '../../random.js';

export type FaultDecision = 'none' | 'throttle' | 'server-error' | 'drop' | 'html-error' | 'unapplied' | 'hang';

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
    const { operations } = this.options;
    const rates: [Exclude<FaultDecision, 'none'>, number][] = [
      ['hang', this.options.hangRate ?? 0],
      ['drop', this.options.dropRate ?? 0],
      ['throttle', this.options.throttleRate ?? 0],
      ['server-error', this.options.serverErrorRate ?? 0],
      ['html-error', this.options.htmlErrorRate ?? 0],
      ['unapplied', this.options.unappliedRate ?? 0],
    ];
    if (rates.every(([, rate]) => rate <= 0)) return 'none';
    if (operations && !operations.includes(operation)) return 'none';
    let draw = this.random();
    for (const [decision, rate] of rates) {
      if (draw < rate) return decision;
      draw -= rate;
    }
    return 'none';
  }
}
