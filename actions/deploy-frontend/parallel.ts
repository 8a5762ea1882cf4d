/**
 * Runs `work` over `items` with at most `limit` at once. After the first failure (or once `signal` aborts) no new item
 * is started (those in flight finish); the result says which succeeded, which failed and which were never started.
 */
export interface PoolResult<T, R> {
  done: Array<{ item: T; value: R }>;
  failed: Array<{ item: T; error: unknown }>;
  notStarted: T[];
}

export async function runPool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
  options: { signal?: AbortSignal } = {},
): Promise<PoolResult<T, R>> {
  const result: PoolResult<T, R> = { done: [], failed: [], notStarted: [] };
  let next = 0;
  const stop = () => result.failed.length > 0 || options.signal?.aborted === true;
  async function lane(): Promise<void> {
    while (next < items.length && !stop()) {
      const item = items[next++] as T;
      try {
        result.done.push({ item, value: await work(item) });
      } catch (error) {
        result.failed.push({ item, error });
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  result.notStarted = items.slice(next);
  return result;
}

/** `work` over every item, at most `limit` at once; the values in the items' order, or the first failure thrown. */
export async function mapPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const values = new Array<R>(items.length);
  const result = await runPool([...items.keys()], limit, async (index) => {
    values[index] = await work(items[index] as T);
  });
  if (result.failed.length > 0) throw result.failed[0]?.error;
  return values;
}
