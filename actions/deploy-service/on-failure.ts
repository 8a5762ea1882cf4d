import { progressLine } from '../../lib/ecs/deployment-state.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import { waitForNewPrimary } from '../../lib/ecs/new-primary.js';
import { watchDeployment } from '../../lib/ecs/deployment-watch.js';
import type { WaitReporter, WatchClients, WatchResult } from '../../lib/ecs/watch-result.js';
import { updateService } from '../../lib/ecs/service-api.js';
import { cancelResponse, type FailureResponse } from './failure-response.js';
import type { WaitUntil } from '../../lib/ecs/wait-inputs.js';
import { cancelNote, ecsRollingBack, leftRunning, rollbackOnCancelFailed, rollingBackTo } from './log.js';
import type { DeployReport } from './summary.js';
import { errorText } from '../../lib/runner/error-text.js';
import { now } from '../../lib/runner/time.js';

/** Carries out `on-failure: rollback`: waits for ECS's own rollback, or puts the previous revision back itself. */

export interface RollbackContext extends WaitReporter {
  cluster: string;
  service: string;
  failedTaskDefinition?: string;
  failedDeploymentId: string;
  /** What the service ran before the failed deployment: what ECS's own rollback deployment must carry. */
  previousTaskDefinition?: string;
  /** Deployments seen on the service before ours, and ours: a rollback's must be none of them (default: ours). */
  knownDeploymentIds?: ReadonlySet<string>;
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
    const id = await findRollbackDeployment(clients, context);
    if (!id) {
      const of = context.previousTaskDefinition ? ` of ${shortTaskDefinition(context.previousTaskDefinition)}` : '';
      return {
        note: `ECS is rolling back, but no rollback deployment${of} appeared in time: its outcome is not known`,
      };
    }
    ecsRollingBack(id);
    const watch = await watchDeployment(clients, { ...watchOptions, deploymentId: id });
    return { note: `ECS rolled back with deployment ${id}: ${outcomeText(watch)}`, watch };
  }

  rollingBackTo(shortTaskDefinition(response.to));
  const id = await startRollback(clients, context, response.to, known(context, context.failedDeploymentId));
  const watch = await watchDeployment(clients, { ...watchOptions, deploymentId: id });
  return {
    note: `Rolled back to ${shortTaskDefinition(response.to)} with deployment ${id}: ${outcomeText(watch)}`,
    watch,
  };
}

/** UpdateService back to `to`; returns the id of the deployment it starts (checked: new, and of `to`). */
async function startRollback(
  clients: WatchClients,
  target: { cluster: string; service: string },
  to: string,
  knownDeploymentIds: ReadonlySet<string>,
): Promise<string> {
  return updateService(
    clients.ecs,
    { cluster: target.cluster, service: target.service, taskDefinition: to },
    { taskDefinition: to, knownDeploymentIds },
  );
}

function known(context: { knownDeploymentIds?: ReadonlySet<string> }, ours: string | undefined): Set<string> {
  return new Set([...(context.knownDeploymentIds ?? []), ...(ours ? [ours] : [])]);
}

/**
 * Cancelled while our deployment (or our rollback of it) was under way: with on-failure: rollback, put the previous
 * revision back without waiting; then say, as a warning and in the summary, what is left running and how to undo it.
 */
export async function respondToCancel(
  clients: WatchClients,
  inputs: {
    cluster: string;
    service: string;
    onFailure: 'fail' | 'rollback';
    knownDeploymentIds?: ReadonlySet<string>;
  },
  deploy: DeployReport,
): Promise<void> {
  deploy.status ??= 'CANCELLED';
  let note = 'Cancelled while rolling back; the rollback carries on in ECS.';
  if (!deploy.watch) {
    const response = cancelResponse(inputs.onFailure, deploy.previousTaskDefinition, deploy.newTaskDefinition);
    let rolledBackWith: string | undefined;
    if (response.action === 'roll-back') {
      try {
        rolledBackWith = await startRollback(clients, inputs, response.to, known(inputs, deploy.deploymentId));
      } catch (error) {
        rollbackOnCancelFailed(errorText(error));
      }
    }
    note = cancelNote(deploy, rolledBackWith);
  }
  deploy.rollback = { note };
  leftRunning(note);
}

/** A rollback still rolling out when the step's timeout ran out is not a failure of the rollback: say it goes on. */
function outcomeText(watch: WatchResult): string {
  if (watch.status !== 'TIMED_OUT') return watch.status;
  const counts = watch.counts ? ` (${progressLine(watch.counts)})` : '';
  return `still in progress when timeout-minutes ran out${counts}; it carries on in ECS`;
}

/**
 * ECS's rollback deployment: a PRIMARY deployment other than ours carrying the revision ours replaced (the circuit
 * breaker's can show up a poll after ours turned FAILED). Any other newer deployment is someone else's, not a
 * rollback: judging it would report its outcome as the rollback's.
 */
function findRollbackDeployment(clients: WatchClients, context: RollbackContext): Promise<string | undefined> {
  const expected = context.rollbackDeploymentId;
  return waitForNewPrimary(clients.ecs, {
    cluster: context.cluster,
    service: context.service,
    isNew: (id, primary) =>
      id !== context.failedDeploymentId &&
      (expected === undefined || id === expected) &&
      (context.previousTaskDefinition === undefined || primary.taskDefinition === context.previousTaskDefinition),
    deadline: new Date(now() + rollbackGraceMs(context.pollSeconds)),
    pollSeconds: context.pollSeconds,
    signal: context.signal,
  });
}

/**
 * How long ECS's own rollback is looked for, or waited for once the step's timeout has run out: 30 s, or 10 polls
 * when they take longer. A rollback starts within seconds; this bounds the wait without hiding its outcome.
 */
export function rollbackGraceMs(pollSeconds: number): number {
  return Math.max(30_000, pollSeconds * 10_000);
}
