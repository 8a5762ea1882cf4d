/**
 * The one clock of the suite and the one way to wait on it. Times are milliseconds since the epoch, durations
 * milliseconds; a Date is made only where one is shown or sent. Tests swap the clock (useClock) so that waits run
 * without real sleeping.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` is (or becomes) aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

let clock: Clock = systemClock;

/** Runs everything on `replacement` until the returned function restores the previous clock. */
export function useClock(replacement: Clock): () => void {
  const previous = clock;
  clock = replacement;
  return () => {
    clock = previous;
  };
}

/** Now, in milliseconds since the epoch. */
export function now(): number {
  return clock.now();
}

/** Now, as a Date (for what is shown or sent). */
export function nowDate(): Date {
  return new Date(clock.now());
}

/**
 * A signal that aborts a request when `deadline` (ms on this clock) comes, or after `atMostMs` if that is sooner: what a
 * step that must end within the runner's grace gives each call it still makes.
 */
export function abortAtDeadline(deadline: number, atMostMs = Infinity): AbortSignal {
  return AbortSignal.timeout(Math.max(1, Math.min(atMostMs, deadline - now())));
}

/** Sleeps, waking early when the run is cancelled. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return clock.sleep(ms, signal);
}

export interface PollOptions {
  /** The pause between two attempts, in ms (never past the deadline). */
  every: number;
  /** The clock time (ms) after which no attempt starts; none: until done or cancelled. */
  deadline?: number;
  signal?: AbortSignal;
}

/** How a poll ended: the attempt's answer, or why it stopped without one. */
export type Polled<T> = { done: true; value: T } | { done: false; why: 'deadline' | 'cancelled' };

/**
 * Calls `attempt` until it answers (returns anything but undefined), pausing `every` ms between attempts. Stops without
 * an answer once the deadline has passed after an attempt, or when `signal` is aborted.
 */
export async function poll<T>(attempt: () => Promise<T | undefined>, options: PollOptions): Promise<Polled<T>> {
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return { done: true, value };
    if (options.signal?.aborted) return { done: false, why: 'cancelled' };
    const left = (options.deadline ?? Infinity) - clock.now();
    if (left <= 0) return { done: false, why: 'deadline' };
    await clock.sleep(Math.min(options.every, left), options.signal);
  }
}

/** How long something took or may take, for people: `42.5s`, `3m 5s`, `10m`, `1h 30m`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10}s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return joinUnits(Math.floor(whole / 60), 'm', whole % 60, 's');
  const minutes = Math.round(whole / 60);
  return joinUnits(Math.floor(minutes / 60), 'h', minutes % 60, 'm');
}

function joinUnits(big: number, bigUnit: string, small: number, smallUnit: string): string {
  return small === 0 ? `${big}${bigUnit}` : `${big}${bigUnit} ${small}${smallUnit}`;
}
