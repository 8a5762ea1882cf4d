import { mapPool, runPool } from '../../../actions/deploy-frontend/parallel.js';

describe('runPool', () => {
  it('never runs more than the limit at once and returns every result', async () => {
    let running = 0;
    let peak = 0;
    const result = await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      return n * 2;
    });
    expect(peak).toBe(3);
    expect(result.done.map((d) => d.value).sort((a, b) => a - b)).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(result.failed).toEqual([]);
  });

  it('starts nothing new after a failure and says what was never started', async () => {
    const started: number[] = [];
    const result = await runPool([1, 2, 3, 4, 5], 1, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('boom');
      return n;
    });
    expect(started).toEqual([1, 2]);
    expect(result.failed.map((f) => f.item)).toEqual([2]);
    expect(result.notStarted).toEqual([3, 4, 5]);
  });

  it('stops starting work once the signal is aborted', async () => {
    const controller = new AbortController();
    const result = await runPool(
      [1, 2, 3],
      1,
      async (n) => {
        if (n === 1) controller.abort();
        return n;
      },
      { signal: controller.signal },
    );
    expect(result.done.map((d) => d.item)).toEqual([1]);
    expect(result.notStarted).toEqual([2, 3]);
  });
});

describe('mapPool', () => {
  it('returns the values in the order of the items, whatever order they finish in', async () => {
    const values = await mapPool([30, 10, 20], 3, async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms / 10;
    });
    expect(values).toEqual([3, 1, 2]);
  });

  it('throws the first failure', async () => {
    await expect(
      mapPool([1, 2, 3], 1, async (n) => {
        if (n === 2) throw new Error('boom on 2');
        return n;
      }),
    ).rejects.toThrow('boom on 2');
  });
});
