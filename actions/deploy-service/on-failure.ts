import * as report from '../../lib/runner/log.js';
import { progressLine } from '../../lib/ecs/deployment-state.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import {
  waitForNewPrimary,
  watchDeployment,
  type WaitReporter,
  type WatchClients,
  type WatchResult,
} from '../../lib/ecs/deployment-watch.js';
import { updateService } from '../../lib/ecs/service-api.js';
import { cancelResponse, type FailureResponse } from './failure-response.js';
import type { WaitUntil } from '../../lib/ecs/wait-inputs.js';
import { cancelNote } from './log.js';
import type { DeployReport } from './summary.js';

/** Carries out `on-failure: rollback`: waits for ECS's own rollback, or puts the previous revision back itself. */

export interface RollbackContext extends WaitReporter {
  cluster: string;
  service: string;
  failedTaskDefinition?: string;
  failedDeploymentId: string;
  rollbackDeploymentId?: string;
  /** The step's timeout (named in messages) and when it runs out: the rollback waits only until then. */
  timeoutSeconds: number;
  deadline: Date;
  pollSeconds: number;
  healthCheck?: { url: string; timeoutSeconds: number };
  waitUntil?: WaitUntil;
  signal?: AbortSignal;
}

export interface RollbackOutcome {
  note: string;
  watch?: WatchResult;
}

export async function respondToFailure(
  clients: WatchClients,
  response: FailureResponse,
  context: RollbackContext,
): Promise<RollbackOutcome | undefined> {
  if (response.action === 'none') return response.note ? { note: response.note } : undefined;
  const watchOptions = {
    cluster: context.cluster,
    service: context.service,
    timeoutSeconds: context.timeoutSeconds,
    deadline: context.deadline,
    pollSeconds: context.pollSeconds,
    healthCheck: context.healthCheck,
    waitUntil: context.waitUntil,
    signal: context.signal,
    onProgress: context.onProgress,
    onWarning: context.onWarning,
    previousTaskDefinition: context.failedTaskDefinition,
  };

  if (response.action === 'wait-for-ecs-rollback') {
    const id = context.rollbackDeploymentId ?? (await findRollbackDeployment(clients, context));
    if (!id) return { note: 'ECS is rolling back, but its rollback deployment did not appear in time' };
    report.info(`on-failure: rollback — ECS is already rolling back (deployment ${id}); waiting for it to finish`);
    const watch = await watchDeployment(clients, { ...watchOptions, deploymentId: id });
    return { note: `ECS rolled back with deployment ${id}: ${outcomeText(watch)}`, watch };
  }

  report.info(`on-failure: rollback — putting the service back on ${shortTaskDefinition(response.to)}`);
  const id = await startRollback(clients, context, response.to);
  const watch = await watchDeployment(clients, { ...watchOptions, deploymentId: id });
  return {
    note: `Rolled back to ${shortTaskDefinition(response.to)} with deployment ${id}: ${outcomeText(watch)}`,
    watch,
  };
}

/** UpdateService back to `to`; returns the id of the deployment it starts. */
async function startRollback(
  clients: WatchClients,
  target: { cluster: string; service: string },
  to: string,
): Promise<string> {
  return updateService(clients.ecs, { cluster: target.cluster, service: target.service, taskDefinition: to });
}

/**
 * Cancelled while our deployment (or our rollback of it) was under way: with on-failure: rollback, put the previous
 * revision back without waiting; then say, as a warning and in the summary, what is left running and how to undo it.
 */
export async function respondToCancel(
  clients: WatchClients,
  inputs: { cluster: string; service: string; onFailure: 'fail' | 'rollback' },
  deploy: DeployReport,
): Promise<void> {
  deploy.status ??= 'CANCELLED';
  let note = 'Cancelled while rolling back; the rollback carries on in ECS.';
  if (!deploy.watch) {
    const response = cancelResponse(inputs.onFailure, deploy.previousTaskDefinition, deploy.newTaskDefinition);
    let rolledBackWith: string | undefined;
    if (response.action === 'roll-back') {
      try {
        rolledBackWith = await startRollback(clients, inputs, response.to);
      } catch (error) {
        report.warn(`Could not roll back on cancel: ${(error as Error).message}`);
      }
    }
    note = cancelNote(deploy, rolledBackWith);
  }
  deploy.rollback = { note };
  report.warn(note, 'Cancelled: what is left running');
}

/** A rollback still rolling out when the step's timeout ran out is not a failure of the rollback: say it goes on. */
function outcomeText(watch: WatchResult): string {
  if (watch.status !== 'TIMED_OUT') return watch.status;
  const counts = watch.counts ? ` (${progressLine(watch.counts)})` : '';
  return `still in progress when timeout-minutes ran out${counts}; it carries on in ECS`;
}

/** The circuit breaker's new PRIMARY deployment can show up a poll after ours turned FAILED. */
function findRollbackDeployment(clients: WatchClients, context: RollbackContext): Promise<string | undefined> {
  return waitForNewPrimary(clients.ecs, {
    cluster: context.cluster,
    service: context.service,
    isNew: (id) => id !== context.failedDeploymentId,
    deadline: new Date(Date.now() + Math.max(30_000, context.pollSeconds * 10_000)),
    pollSeconds: context.pollSeconds,
    signal: context.signal,
  });
}
