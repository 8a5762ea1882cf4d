import { now, poll } from '../../lib/runner/time.js';

/**
 * Waiting for a CloudFront invalidation to complete, bounded: polls its status, reports each one through `onStatus`,
 * and gives up quietly at the deadline (CloudFront finishes the invalidation on its own; the caller decides what to
 * say). A status read that fails is retried at the next poll; only the last error is kept.
 */

export interface InvalidationWait {
  /** 'Completed', or the last status seen ('InProgress'), or undefined when no read ever succeeded. */
  status?: string;
  completed: boolean;
  polls: number;
  waitedMs: number;
  lastError?: unknown;
}

export interface WaitOptions {
  readStatus: () => Promise<string>;
  timeoutMs: number;
  pollMs: number;
  onStatus?: (status: string, waitedMs: number) => void;
  onError?: (error: unknown, waitedMs: number) => void;
  signal?: AbortSignal;
}

export async function waitForInvalidation(options: WaitOptions): Promise<InvalidationWait> {
  const started = now();
  const result: InvalidationWait = { completed: false, polls: 0, waitedMs: 0 };
  const polled = await poll(
    async () => {
      result.polls++;
      try {
        result.status = await options.readStatus();
        result.lastError = undefined;
        result.waitedMs = now() - started;
        options.onStatus?.(result.status, result.waitedMs);
        if (result.status === 'Completed') return (result.completed = true);
      } catch (error) {
        if (options.signal?.aborted) throw error;
        result.lastError = error;
        result.waitedMs = now() - started;
        options.onError?.(error, result.waitedMs);
      }
      return undefined;
    },
    { every: options.pollMs, deadline: started + options.timeoutMs, signal: options.signal },
  );
  if (polled.done) return result;
  options.signal?.throwIfAborted();
  result.waitedMs = now() - started;
  return result;
}
