import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { abortAtDeadline, now, poll } from '../../lib/runner/time.js';
import type { LogTail } from '../../lib/logs/log-tail.js';
import { runContext, stopReason } from '../../lib/runner/run-context.js';
import { taskIdOf } from '../../lib/ecs/stopped-tasks.js';
import { describeTask, stopTask } from './task-api.js';
import { pollLogs, type LogErrorReporter, type WaitResult, type WatchReporter } from './wait-for-task.js';
import { errorText } from '../../lib/runner/error-text.js';

/** After waiting: stop the task when the action gave up on it (unless told not to), then read its logs to the end. */

/**
 * How long stopping may take, StopTask and the wait for STOPPED together. On cancel the runner sends SIGINT, then
 * SIGTERM 7.5 s later and kills the step soon after (actions/runner ProcessInvoker): the stop and the last report
 * must fit in that, so StopTask gets at most 3 s (a silent network must not hold it) and the whole stop 5 s.
 */
const STOP_GRACE_MS = { cancelled: 5_000, timeout: 60_000, lost: 15_000 } as const;
const STOP_REQUEST_MS = { cancelled: 3_000, timeout: 15_000, lost: 15_000 } as const;

/**
 * The final drain polls at most every second until two polls in a row find nothing new. The awslogs driver sends
 * its last batch when the container exits, well before ECS reports the task STOPPED (it deprovisions first), and
 * CloudWatch Logs serves an accepted batch within seconds, so two quiet polls catch the last lines.
 */
const DRAIN = { maxPollMs: 1_000, quietPolls: 2, maxMs: 30_000 } as const;

export interface Settled {
  /** The last state of the task the action saw. */
  task?: Task;
  /** StopTask was sent (the task was told to stop, whether or not it reached STOPPED yet). */
  stopRequested: boolean;
}

export interface SettleOptions {
  cluster: string;
  taskArn: string;
  pollMs: number;
  /** For the StopTask reason: `Timed out after 20 minutes`. */
  timeoutMinutes: number;
  /** stop-on-timeout or stop-on-cancel, whichever applies to how the wait ended. */
  stopWanted: boolean;
  tail?: LogTail | undefined;
  logErrors: LogErrorReporter;
  reporter: WatchReporter;
}

export async function settleTask(ecs: ECSClient, waited: WaitResult, options: SettleOptions): Promise<Settled> {
  const { tail, logErrors } = options;
  if (waited.kind === 'stopped') {
    if (tail) await drain(tail, options.pollMs, logErrors);
    return { task: waited.task, stopRequested: false };
  }
  if (!options.stopWanted) {
    if (tail) await pollLogs(tail, logErrors);
    return { ...(waited.task ? { task: waited.task } : {}), stopRequested: false };
  }
  const deadline = now() + STOP_GRACE_MS[waited.kind];
  const stopRequested = await requestStop(ecs, options, stopWhy(waited, options.timeoutMinutes), waited.kind);
  if (waited.kind === 'lost') {
    // DescribeTasks is failing: waiting for STOPPED would only fail again.
    if (tail) await pollLogs(tail, logErrors);
    return { ...(waited.task ? { task: waited.task } : {}), stopRequested };
  }
  const task = await waitForStop(ecs, { ...options, deadline });
  if (task?.lastStatus === 'STOPPED')
    options.reporter.onProgress(`Task ${taskIdOf(options.taskArn)} stopped: ${task.stoppedReason ?? ''}`);
  if (tail && waited.kind === 'timeout') await drain(tail, options.pollMs, logErrors);
  const last = task ?? waited.task;
  return { ...(last ? { task: last } : {}), stopRequested };
}

/** The first half of the StopTask reason; the rest names the workflow run. */
function stopWhy(waited: Exclude<WaitResult, { kind: 'stopped' }>, timeoutMinutes: number): string {
  if (waited.kind === 'cancelled') return 'Workflow run cancelled';
  if (waited.kind === 'lost') return 'The action lost track of the task';
  return `Timed out after ${timeoutMinutes} minutes`;
}

/** Stops the task (never with the cancelled signal: stopping is the point of the cancellation). */
async function requestStop(
  ecs: ECSClient,
  options: SettleOptions,
  why: string,
  kind: keyof typeof STOP_REQUEST_MS,
): Promise<boolean> {
  options.reporter.onProgress(`Stopping task ${taskIdOf(options.taskArn)}: ${why}`);
  const timeoutMs = STOP_REQUEST_MS[kind];
  try {
    const reason = stopReason(why, runContext());
    await stopTask(ecs, options.cluster, options.taskArn, reason, timeoutMs);
    return true;
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
    const what = timedOut ? `no answer within ${timeoutMs / 1000} s` : errorText(error);
    options.reporter.onWarning(
      `StopTask failed (${what}): task ${taskIdOf(options.taskArn)} may still be running; stop it in the ECS console`,
      'Stop',
    );
    return false;
  }
}

/** Waits until the task is STOPPED or the deadline, reading logs as it goes; returns the last task seen. */
async function waitForStop(ecs: ECSClient, options: SettleOptions & { deadline: number }): Promise<Task | undefined> {
  const { deadline } = options;
  let task: Task | undefined;
  // no cancel signal: this runs after a cancel, to stop what the run started; each request ends by the deadline
  await poll(
    async () => {
      const left = abortAtDeadline(deadline);
      task = await describeTask(ecs, options.cluster, options.taskArn, left).catch(() => task);
      if (options.tail) await pollLogs(options.tail, options.logErrors);
      return task?.lastStatus === 'STOPPED' || undefined;
    },
    { every: Math.min(options.pollMs, 500), deadline },
  );
  return task;
}

async function drain(tail: LogTail, pollMs: number, logErrors: LogErrorReporter): Promise<void> {
  await tail
    .drain({ pollMs: Math.min(pollMs, DRAIN.maxPollMs), quietPolls: DRAIN.quietPolls, maxMs: DRAIN.maxMs })
    .catch(() => pollLogs(tail, logErrors));
}
