import { ByteBudget } from '../../../actions/deploy-frontend/byte-budget.js';

describe('ByteBudget', () => {
  it('holds at most its limit at once, starting the waiting in order as bytes come back', async () => {
    const budget = new ByteBudget(10);
    let peak = 0;
    const releases: Array<() => void> = [];
    const started: number[] = [];
    const runs = [6, 4, 5, 3].map((bytes, i) =>
      budget.hold(bytes, async () => {
        started.push(i);
        peak = Math.max(peak, budget.held);
        await new Promise<void>((resolve) => releases.push(resolve));
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]); // 6 + 4 fill it; 5 waits, and 3 waits behind it (first come, first served)
    releases.shift()!();
    await runs[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(peak).toBeLessThanOrEqual(10);
    expect(budget.held).toBe(0);
  });

  it('lets one item larger than the limit run alone rather than wait forever, and gives bytes back on failure', async () => {
    const budget = new ByteBudget(10);
    await expect(budget.hold(50, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(budget.held).toBe(0);
    await expect(budget.hold(50, () => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});
