import { waitForInvalidation } from '../../../actions/deploy-frontend/invalidation-wait.js';
import { onFakeClock } from '../../support/fake-clock.js';

const clock = onFakeClock(0);

describe('waitForInvalidation', () => {
  it('polls until Completed, reporting every status it saw', async () => {
    const statuses = ['InProgress', 'InProgress', 'Completed'];
    const seen: Array<[string, number]> = [];
    const result = await waitForInvalidation({
      readStatus: async () => statuses.shift()!,
      timeoutMs: 300_000,
      pollMs: 10_000,
      onStatus: (status, waited) => seen.push([status, waited]),
    });
    expect(result).toMatchObject({ completed: true, status: 'Completed', polls: 3, waitedMs: 20_000 });
    expect(seen).toEqual([
      ['InProgress', 0],
      ['InProgress', 10_000],
      ['Completed', 20_000],
    ]);
  });

  it('gives up at the deadline with the last status, the last sleep cut to what is left', async () => {
    const result = await waitForInvalidation({
      readStatus: async () => 'InProgress',
      timeoutMs: 25_000,
      pollMs: 10_000,
    });
    expect(result).toMatchObject({ completed: false, status: 'InProgress', polls: 4, waitedMs: 25_000 });
    expect(clock().slept).toEqual([10_000, 10_000, 5_000]);
  });

  it('keeps polling through failed reads and reports each error', async () => {
    const answers: Array<string | Error> = [new Error('throttled'), 'InProgress', new Error('reset'), 'Completed'];
    const errors: string[] = [];
    const result = await waitForInvalidation({
      readStatus: async () => {
        const next = answers.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
      timeoutMs: 300_000,
      pollMs: 1_000,
      onError: (error) => errors.push((error as Error).message),
    });
    expect(result).toMatchObject({ completed: true, polls: 4, lastError: undefined });
    expect(errors).toEqual(['throttled', 'reset']);
  });

  it('returns the last error when no read succeeded before the deadline', async () => {
    const result = await waitForInvalidation({
      readStatus: async () => {
        throw new Error('AccessDenied');
      },
      timeoutMs: 2_000,
      pollMs: 1_000,
    });
    expect(result.completed).toBe(false);
    expect(result.status).toBeUndefined();
    expect((result.lastError as Error).message).toBe('AccessDenied');
  });

  it('stops at once when cancelled', async () => {
    const controller = new AbortController();
    const result = waitForInvalidation({
      readStatus: async () => 'InProgress',
      timeoutMs: 300_000,
      pollMs: 10_000,
      onStatus: () => controller.abort(new Error('cancelled')),
      signal: controller.signal,
    });
    await expect(result).rejects.toThrow('cancelled');
  });
});
