/**
 * Runs `work` over `items` with at most `limit` at once. After the first failure no new item is started (those in
 * flight finish); the result says which succeeded, which failed and which were never started.
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
  options: { stopOnFailure?: boolean; signal?: AbortSignal } = {},
): Promise<PoolResult<T, R>> {
  const result: PoolResult<T, R> = { done: [], failed: [], notStarted: [] };
  let next = 0;
  const stop = () => (options.stopOnFailure !== false && result.failed.length > 0) || options.signal?.aborted === true;
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
