import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import { now, poll } from '../../lib/runner/time.js';
import type { LogTail } from '../../lib/logs/log-tail.js';
import { runContext, stopReason } from '../../lib/runner/run-context.js';
import { taskIdOf } from '../../lib/ecs/stopped-tasks.js';
import { describeTask, stopTask } from './task-api.js';
import { pollLogs, type LogErrorReporter, type WaitResult, type WatchReporter } from './wait-for-task.js';
import { errorText } from '../../lib/runner/error-text.js';

/** After waiting: stop the task when the action gave up on it (unless told not to), then read its logs to the end. */

/** How long to wait for STOPPED after StopTask: on cancel the runner kills the step about 10 s after its SIGINT. */
const STOP_GRACE_MS = { cancelled: 5_000, timeout: 60_000 } as const;

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
  const stopRequested = await requestStop(ecs, options, stopWhy(waited, options.timeoutMinutes));
  if (waited.kind === 'lost') {
    // DescribeTasks is failing: waiting for STOPPED would only fail again.
    if (tail) await pollLogs(tail, logErrors);
    return { ...(waited.task ? { task: waited.task } : {}), stopRequested };
  }
  const task = await waitForStop(ecs, { ...options, graceMs: STOP_GRACE_MS[waited.kind] });
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
async function requestStop(ecs: ECSClient, options: SettleOptions, why: string): Promise<boolean> {
  options.reporter.onProgress(`Stopping task ${taskIdOf(options.taskArn)}: ${why}`);
  try {
    const reason = stopReason(why, runContext());
    await stopTask(ecs, options.cluster, options.taskArn, reason);
    return true;
  } catch (error) {
    options.reporter.onWarning(`StopTask failed: ${errorText(error)}`, 'Stop');
    return false;
  }
}

/** Waits until the task is STOPPED or `graceMs` is over, reading logs as it goes; returns the last task seen. */
async function waitForStop(ecs: ECSClient, options: SettleOptions & { graceMs: number }): Promise<Task | undefined> {
  let task: Task | undefined;
  // no cancel signal: this runs after a cancel, to stop what the run started
  await poll(
    async () => {
      task = await describeTask(ecs, options.cluster, options.taskArn).catch(() => task);
      if (options.tail) await pollLogs(options.tail, options.logErrors);
      return task?.lastStatus === 'STOPPED' || undefined;
    },
    { every: Math.min(options.pollMs, 500), deadline: now() + options.graceMs },
  );
  return task;
}

async function drain(tail: LogTail, pollMs: number, logErrors: LogErrorReporter): Promise<void> {
  await tail
    .drain({ pollMs: Math.min(pollMs, DRAIN.maxPollMs), quietPolls: DRAIN.quietPolls, maxMs: DRAIN.maxMs })
    .catch(() => pollLogs(tail, logErrors));
}
