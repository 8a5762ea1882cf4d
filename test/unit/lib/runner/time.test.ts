import { abortAtDeadline, formatSeconds, now, poll, systemClock } from '../../../../lib/runner/time.js';
import { onFakeClock } from '../../../support/fake-clock.js';

it.each([
  [0.25, '0.3s'],
  [42.54, '42.5s'],
  [59.96, '60s'],
  [60, '1m'],
  [185, '3m 5s'],
  [3599.6, '1h'],
  [5400, '1h 30m'],
  [43200, '12h'],
])('%s seconds read as %s', (seconds, text) => {
  expect(formatSeconds(seconds)).toBe(text);
});

describe('poll', () => {
  const clock = onFakeClock(0);

  it('answers with the first attempt that answers, pausing `every` between attempts', async () => {
    const answers = [undefined, undefined, 'ready'];
    const polled = await poll(async () => answers.shift(), { every: 5_000, deadline: 60_000 });
    expect(polled).toEqual({ done: true, value: 'ready' });
    expect(clock().slept).toEqual([5_000, 5_000]);
  });

  it('stops at the deadline, the last pause cut to what is left', async () => {
    let attempts = 0;
    const polled = await poll(async () => void attempts++, { every: 10_000, deadline: 25_000 });
    expect(polled).toEqual({ done: false, why: 'deadline' });
    expect(attempts).toBe(4);
    expect(clock().slept).toEqual([10_000, 10_000, 5_000]);
    expect(now()).toBe(25_000);
  });

  it('stops when cancelled, after the attempt under way', async () => {
    const cancel = new AbortController();
    let attempts = 0;
    const polled = await poll(
      async () => {
        if (++attempts === 2) cancel.abort();
        return undefined;
      },
      { every: 1_000, signal: cancel.signal },
    );
    expect(polled).toEqual({ done: false, why: 'cancelled' });
    expect(attempts).toBe(2);
  });

  it('attempts once even when the deadline has passed', async () => {
    let attempts = 0;
    expect(await poll(async () => void attempts++, { every: 1_000, deadline: -1 })).toEqual({
      done: false,
      why: 'deadline',
    });
    expect(attempts).toBe(1);
  });
});

describe('the system clock', () => {
  it('sleeps for real, and wakes at once on a cancel', async () => {
    const cancel = new AbortController();
    const started = Date.now();
    const sleeping = systemClock.sleep(60_000, cancel.signal);
    cancel.abort();
    await sleeping;
    expect(Date.now() - started).toBeLessThan(10_000); // woken by the cancel, not the minute (a busy-machine margin)
  });
});

describe('abortAtDeadline', () => {
  onFakeClock(100_000);
  const aborted = (signal: AbortSignal) =>
    new Promise<unknown>((resolve) => signal.addEventListener('abort', () => resolve(signal.reason), { once: true }));

  it('aborts when the deadline on this clock comes, not before', async () => {
    const signal = abortAtDeadline(100_000 + 20);
    expect(signal.aborted).toBe(false);
    expect(await aborted(signal)).toMatchObject({ name: 'TimeoutError' });
  });

  it('aborts after atMostMs when that is sooner than the deadline', async () => {
    const signal = abortAtDeadline(100_000 + 3_600_000, 20);
    expect(await aborted(signal)).toMatchObject({ name: 'TimeoutError' });
  });

  it('aborts at once, not never, when the deadline has passed', async () => {
    expect(await aborted(abortAtDeadline(99_000))).toMatchObject({ name: 'TimeoutError' });
  });
});
