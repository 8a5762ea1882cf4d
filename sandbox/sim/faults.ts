import type { FaultOptions } from './types.js';

export type FaultDecision = 'none' | 'throttle' | 'server-error' | 'drop';

/** A small seeded PRNG so a fault sequence can be replayed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides, per request and before it is handled, whether to inject a fault (so a retry is always safe). */
export class FaultInjector {
  private options: FaultOptions = {};
  private random: () => number = Math.random;

  set(options: FaultOptions): void {
    this.options = { ...options };
    this.random = options.seed === undefined ? Math.random : mulberry32(options.seed);
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
