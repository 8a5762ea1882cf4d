import type { ECSClient } from '@aws-sdk/client-ecs';
import type { LogTail } from '../../lib/logs/log-tail.js';
import type { MigrationInputs } from './inputs.js';
import * as log from './log.js';
import { settleTask, type Settled } from './settle-task.js';
import { LogErrorReporter, waitForTask, type WaitResult } from './wait-for-task.js';

/** Following a started task (the migration or a plan task) until it is over and its logs are read. */

export interface Followed {
  waited: WaitResult;
  settled: Settled;
  /** stop-on-timeout or stop-on-cancel, whichever applies to how the wait ended. */
  stopWanted: boolean;
}

/** Waits for the task (tailing its logs), then stops it if the action gave up on it and reads its logs to the end. */
export async function followTask(
  ecs: ECSClient,
  inputs: MigrationInputs,
  task: { taskArn: string; startedAt: number; tail?: LogTail | undefined },
  signal: AbortSignal,
): Promise<Followed> {
  const reporter = log.watchPrinter;
  const logErrors = new LogErrorReporter(reporter);
  const pollMs = inputs.pollSeconds * 1000;
  const watch = { cluster: inputs.cluster, taskArn: task.taskArn, pollMs, tail: task.tail, logErrors, reporter };
  const timeoutMs = inputs.timeoutSeconds * 1000;
  const waited = await waitForTask(ecs, { ...watch, startedAt: task.startedAt, timeoutMs, signal });
  const stopWanted = waited.kind === 'cancelled' ? inputs.stopOnCancel : inputs.stopOnTimeout;
  const settled = await settleTask(ecs, waited, { ...watch, timeoutMinutes: inputs.timeoutSeconds / 60, stopWanted });
  return { waited, settled, stopWanted };
}
