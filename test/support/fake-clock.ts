import { useClock, type Clock } from '../../lib/runner/time.js';

/** A clock on which sleeping moves time forward at once: waits run without real sleeping, and their pauses are kept. */
export interface FakeClock extends Clock {
  /** Every pause asked for, in ms. */
  readonly slept: number[];
  /** Moves the time forward, as if `ms` passed while something ran. */
  advance(ms: number): void;
}

/**
 * Without `start`, the clock runs with the real time plus every pause (so test data stamped with Date.now() agree with
 * it); with `start`, it stands still but for the pauses and advance().
 */
export function fakeClock(start?: number): FakeClock {
  let skipped = 0;
  const slept: number[] = [];
  return {
    now: () => (start ?? Date.now()) + skipped,
    sleep: async (ms, signal) => {
      slept.push(ms);
      if (!signal?.aborted) skipped += ms;
    },
    slept,
    advance: (ms) => {
      skipped += ms;
    },
  };
}

/** Every test of the file runs on a fresh fake clock (the function returns the current one). */
export function onFakeClock(start?: number): () => FakeClock {
  let clock: FakeClock | undefined;
  let restore: (() => void) | undefined;
  beforeEach(() => {
    clock = fakeClock(start);
    restore = useClock(clock);
  });
  afterEach(() => restore?.());
  return () => clock as FakeClock;
}
