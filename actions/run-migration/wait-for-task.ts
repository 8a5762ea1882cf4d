import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { describeTask } from './task-api.js';
import type { LogTail } from '../../lib/logs/log-tail.js';
import { errorText } from '../../lib/runner/error-text.js';
import { formatSeconds, now, poll } from '../../lib/runner/time.js';

/**
 * How waiting ended. `lost`: DescribeTasks kept failing, so the action can no longer tell what the task does.
 * `seconds`: how long the action waited, from RunTask to this moment.
 */
export type WaitResult = { seconds: number; task?: Task } & (
  { kind: 'stopped'; task: Task } | { kind: 'timeout' } | { kind: 'cancelled' } | { kind: 'lost'; error: string }
);

/** Where the watching loop reports what it sees (log.ts prints it). */
export interface WatchReporter {
  onProgress(line: string): void;
  onWarning(message: string, title: string): void;
}

export interface WaitOptions {
  cluster: string;
  taskArn: string;
  /** When RunTask was called (the clock's now()). */
  startedAt: number;
  pollMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Followed on every poll, from before the task runs (the stream appears when the container starts). */
  tail?: LogTail;
  /** Shared with settleTask, so each kind of log read error is warned about once per run. */
  logErrors: LogErrorReporter;
  reporter: WatchReporter;
}

/** How often to say "still running" when nothing changes. */
const HEARTBEAT_MS = 60_000;

/** Consecutive failed polls (each after the SDK's own retries) before the action gives up watching. */
const MAX_POLL_ERRORS = 5;

/** Polls the task (and its logs) until it stops, the time is up, the run is cancelled or the task cannot be seen. */
export async function waitForTask(ecs: ECSClient, options: WaitOptions): Promise<WaitResult> {
  const { startedAt, reporter } = options;
  const seconds = () => (now() - startedAt) / 1000;
  let lastTask: Task | undefined;
  let lastSaid = now();
  let errors = 0;
  const end = <T extends object>(result: T) => ({
    ...result,
    seconds: seconds(),
    ...(lastTask ? { task: lastTask } : {}),
  });
  const polled = await poll(
    async (): Promise<WaitResult | undefined> => {
      try {
        const task = await describeTask(ecs, options.cluster, options.taskArn, options.signal);
        errors = 0;
        if (task.lastStatus !== lastTask?.lastStatus) {
          reporter.onProgress(`Task ${statusLine(task)} after ${formatSeconds(seconds())}`);
          lastSaid = now();
        } else if (now() - lastSaid >= HEARTBEAT_MS) {
          const lines = options.tail ? `, ${options.tail.printed} log lines so far` : '';
          reporter.onProgress(`Task still ${task.lastStatus} (${formatSeconds(seconds())}${lines})`);
          lastSaid = now();
        }
        lastTask = task;
        if (task.lastStatus === 'STOPPED') return { kind: 'stopped', task, seconds: seconds() };
      } catch (error) {
        if (options.signal?.aborted) return undefined;
        if (++errors >= MAX_POLL_ERRORS) {
          return end({
            kind: 'lost' as const,
            error: `DescribeTasks failed ${errors} times in a row: ${errorText(error)}`,
          });
        }
        reporter.onWarning(`DescribeTasks failed (${errorText(error)}); trying again`, 'Polling');
      }
      if (options.tail) await pollLogs(options.tail, options.logErrors, options.signal);
      return undefined;
    },
    { every: options.pollMs, deadline: startedAt + options.timeoutMs, signal: options.signal },
  );
  if (polled.done) return polled.value;
  return end({ kind: polled.why === 'cancelled' ? ('cancelled' as const) : ('timeout' as const) });
}

export async function pollLogs(tail: LogTail, reporter: LogErrorReporter, signal?: AbortSignal): Promise<void> {
  try {
    await tail.poll(signal);
  } catch (error) {
    if (!signal?.aborted) reporter.report(error);
  }
}

/** Says once per error kind that reading logs failed; the next poll picks up where the last page ended. */
export class LogErrorReporter {
  private readonly seen = new Set<string>();
  constructor(private readonly reporter: WatchReporter) {}
  report(error: unknown): void {
    const name = (error as Error)?.name ?? 'Error';
    if (this.seen.has(name)) return;
    this.seen.add(name);
    this.reporter.onWarning(`Reading the task's logs failed (${errorText(error)}); retrying on the next poll`, 'Logs');
  }
}

function statusLine(task: Task): string {
  const desired =
    task.desiredStatus && task.desiredStatus !== task.lastStatus ? ` (desired ${task.desiredStatus})` : '';
  return `${task.lastStatus ?? 'UNKNOWN'}${desired}`;
}
