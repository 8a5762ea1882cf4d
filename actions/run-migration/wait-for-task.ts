import { DescribeTasksCommand, StopTaskCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { sleep } from '../shared/action.js';
import type { LogTail } from '../shared/log-tail.js';
import { progress, warn } from '../shared/report.js';

export type WaitResult =
  { kind: 'stopped'; task: Task } | { kind: 'timeout'; task?: Task } | { kind: 'cancelled'; task?: Task };

export interface WaitOptions {
  cluster: string;
  taskArn: string;
  pollMs: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Followed on every poll, from before the task runs (the stream appears when the container starts). */
  tail?: LogTail;
  /** How often to say "still running" when nothing changes. */
  heartbeatMs?: number;
}

/** Consecutive failed polls (after the SDK's own retries) before giving up on watching. */
const MAX_POLL_ERRORS = 5;

/** Polls the task (and its logs) until it stops, the time is up, or the run is cancelled. */
export async function waitForTask(ecs: ECSClient, options: WaitOptions): Promise<WaitResult> {
  const started = Date.now();
  const heartbeatMs = options.heartbeatMs ?? 60_000;
  let lastTask: Task | undefined;
  let lastStatus: string | undefined;
  let lastSaid = started;
  let errors = 0;
  const logErrors = new LogErrorReporter();
  for (;;) {
    if (options.signal?.aborted) return { kind: 'cancelled', ...(lastTask ? { task: lastTask } : {}) };
    if (Date.now() - started >= options.timeoutMs) return { kind: 'timeout', ...(lastTask ? { task: lastTask } : {}) };
    try {
      const task = await describeTask(ecs, options.cluster, options.taskArn, options.signal);
      errors = 0;
      lastTask = task;
      if (task.lastStatus !== lastStatus) {
        progress(`Task ${statusLine(task)} after ${formatSeconds((Date.now() - started) / 1000)}`);
        lastStatus = task.lastStatus;
        lastSaid = Date.now();
      } else if (Date.now() - lastSaid >= heartbeatMs) {
        const lines = options.tail ? `, ${options.tail.printed} log lines so far` : '';
        progress(`Task still ${task.lastStatus} (${formatSeconds((Date.now() - started) / 1000)}${lines})`);
        lastSaid = Date.now();
      }
      if (task.lastStatus === 'STOPPED') return { kind: 'stopped', task };
    } catch (error) {
      if (options.signal?.aborted) continue;
      if (++errors >= MAX_POLL_ERRORS) throw error;
      warn(`DescribeTasks failed (${errorText(error)}); trying again`, 'Polling');
    }
    if (options.tail) await pollLogs(options.tail, logErrors, options.signal);
    await sleep(options.pollMs, options.signal);
  }
}

export async function pollLogs(tail: LogTail, reporter = new LogErrorReporter(), signal?: AbortSignal): Promise<void> {
  try {
    await tail.poll(signal);
  } catch (error) {
    if (!signal?.aborted) reporter.report(error);
  }
}

/** Says once per error kind that reading logs failed; the next poll picks up where the last page ended. */
export class LogErrorReporter {
  private readonly seen = new Set<string>();
  report(error: unknown): void {
    const name = (error as Error)?.name ?? 'Error';
    if (this.seen.has(name)) return;
    this.seen.add(name);
    warn(`Reading the task's logs failed (${errorText(error)}); retrying on the next poll`, 'Logs');
  }
}

export async function describeTask(
  ecs: ECSClient,
  cluster: string,
  taskArn: string,
  signal?: AbortSignal,
): Promise<Task> {
  const response = await ecs.send(
    new DescribeTasksCommand({ cluster, tasks: [taskArn] }),
    signal ? { abortSignal: signal } : undefined,
  );
  const task = response.tasks?.[0];
  if (!task) {
    const failure = response.failures?.[0];
    throw new Error(`DescribeTasks did not return task ${taskArn}: ${failure?.reason ?? 'no reason given'}`);
  }
  return task;
}

/** Stops the task (never with the cancelled signal: stopping is the point of the cancellation). */
export async function stopTask(ecs: ECSClient, cluster: string, taskArn: string, reason: string): Promise<void> {
  await ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason }));
}

/**
 * After asking the task to stop: wait until it is STOPPED or `graceMs` is over, reading logs as it goes.
 * Returns the last task seen.
 */
export async function waitForStop(
  ecs: ECSClient,
  options: { cluster: string; taskArn: string; pollMs: number; graceMs: number; tail?: LogTail },
): Promise<Task | undefined> {
  const deadline = Date.now() + options.graceMs;
  let task: Task | undefined;
  while (Date.now() < deadline) {
    try {
      task = await describeTask(ecs, options.cluster, options.taskArn);
    } catch {
      // keep trying until the grace period is over
    }
    if (options.tail) await pollLogs(options.tail);
    if (task?.lastStatus === 'STOPPED') return task;
    await sleep(Math.min(options.pollMs, Math.max(0, deadline - Date.now())));
  }
  return task;
}

function statusLine(task: Task): string {
  const desired =
    task.desiredStatus && task.desiredStatus !== task.lastStatus ? ` (desired ${task.desiredStatus})` : '';
  return `${task.lastStatus ?? 'UNKNOWN'}${desired}`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m ${Math.round(seconds - minutes * 60)}s`;
}

export function errorText(error: unknown): string {
  const name = (error as Error)?.name;
  const message = error instanceof Error ? error.message : String(error);
  return name && name !== 'Error' && !message.startsWith(name) ? `${name}: ${message}` : message;
}
