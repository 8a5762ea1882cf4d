import type { Writable } from 'node:stream';

/**
 * Resolves once everything written to `stream` so far has left the process. Writes to a pipe are asynchronous: a
 * process.exit() while the runner is behind reading the log would drop the last lines, the error annotation among
 * them. A write of nothing completes after every write queued before it.
 */
export function written(stream: Writable): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed || stream.writableEnded) return Promise.resolve();
  return new Promise((resolve) => stream.write('', () => resolve()));
}
