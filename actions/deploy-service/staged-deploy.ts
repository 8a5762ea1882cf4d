import { succeeded, type WatchClients } from '../../lib/ecs/watch-result.js';
import {
  waitForStagedRollback,
  watchServiceDeployment,
  type StagedWatchOptions,
  type StagedRollbackResult,
  type StagedWatchResult,
} from '../../lib/ecs/service-deployment-watch.js';
import { stopDeploymentWithRollback } from '../../lib/ecs/service-api.js';
import { formatSeconds, now, nowDate } from '../../lib/runner/time.js';
import { errorText } from '../../lib/runner/error-text.js';
import { failureResponse } from './failure-response.js';
import * as log from './log.js';
import { respondToCancel, respondToFailure, rollbackGraceMs, type RollbackContext } from './on-failure.js';
import { respondToStagedCancel } from './staged-cancel.js';
import { CancelledError } from '../../lib/runner/run-action.js';
import type { DeployReport } from './summary.js';

/**
 * deploy-service for a service that ECS deploys itself in stages (BLUE_GREEN, LINEAR, CANARY): watch the service
 * deployment stage by stage, and on failure let ECS move traffic back to the revision still running (a rollback it
 * started, or StopServiceDeployment ROLLBACK with `on-failure: rollback`). Rolling services never come here.
 */

export interface StagedDeployOptions extends StagedWatchOptions {
  onFailure: 'fail' | 'rollback';
  /** For a failure after ECS finished (the health check): a rolling rollback by UpdateService, as for rolling. */
  rollbackContext: RollbackContext;
  strategy: string;
}

export async function followStagedDeployment(
  clients: WatchClients,
  deploy: DeployReport,
  options: StagedDeployOptions,
): Promise<void> {
  let serviceDeploymentArn: string | undefined;
  try {
    log.stagedWatchStarts(options.service, options.strategy);
    const watch = await watchServiceDeployment(clients, {
      ...options,
      onServiceDeployment: (arn) => (serviceDeploymentArn = arn),
    });
    await reportWatch(clients, deploy, watch, options);
  } catch (error) {
    if (!(error instanceof CancelledError)) throw error;
    // Cancelled while rolling back after the watch: that rollback carries on (said as for rolling).
    if (deploy.watch) await respondToCancel(clients, options, deploy);
    else await respondToStagedCancel(clients, { ...options, serviceDeploymentArn }, deploy);
    throw error;
  }
}

async function reportWatch(
  clients: WatchClients,
  deploy: DeployReport,
  watch: StagedWatchResult,
  options: StagedDeployOptions,
): Promise<void> {
  deploy.watch = watch;
  deploy.status = watch.status;
  log.watchStatus(watch.status);
  if (watch.status === 'SERVING') deploy.servedNote = stagedServedText(watch);
  deploy.rollback = await respond(clients, watch, options);
  log.rollbackNote(deploy.rollback?.note);
  if (!succeeded(watch.status)) return log.reportFailure(deploy);
  log.reportStagedSuccess({ ...deploy, watch });
}

/** `production traffic is all on the new revision; the old revision keeps running through the bake time …`. */
export function stagedServedText(watch: StagedWatchResult, now = watch.finishedAt): string {
  const end = watch.bakeEndsAt;
  const left = end ? Math.max(0, Math.ceil((end.getTime() - now.getTime()) / 1000)) : undefined;
  const bake =
    end && left !== undefined
      ? `through the bake time (about ${formatSeconds(left)} more, until ${end.toISOString().slice(11, 19)} UTC)`
      : 'through the bake time';
  return (
    `production traffic is all on the new revision; the old revision keeps running ${bake}, then ECS removes it and ` +
    `marks the service deployment SUCCESSFUL (not waited for: wait-until serving). Until then the rollback action ` +
    `moves traffic back in seconds`
  );
}

async function respond(
  clients: WatchClients,
  watch: StagedWatchResult,
  options: StagedDeployOptions,
): Promise<DeployReport['rollback']> {
  if (succeeded(watch.status)) return undefined;
  const arn = watch.serviceDeploymentArn;
  const inFlight = watch.last?.status === 'IN_PROGRESS' || watch.last?.status === 'PENDING';
  if (watch.status === 'ROLLED_BACK' || (options.onFailure === 'rollback' && arn && inFlight)) {
    if (options.onFailure === 'fail') {
      return { note: 'ECS is rolling back: production traffic goes back to the revision still running' };
    }
    let how = 'ECS rolled back on its own';
    if (watch.status !== 'ROLLED_BACK') {
      try {
        await stopDeploymentWithRollback(clients.ecs, arn!);
        how = 'on-failure: rollback stopped the deployment with StopServiceDeployment ROLLBACK';
      } catch (error) {
        return { note: `on-failure: rollback could not stop the deployment: ${errorText(error)}` };
      }
    }
    log.stagedRollbackWaiting(how);
    const asked = nowDate();
    const back = await waitForStagedRollback(clients, arn!, {
      deadline: stagedRollbackDeadline(options.rollbackContext.deadline, options.pollSeconds, now()),
      pollSeconds: options.pollSeconds,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    return { note: `${how}: ${stagedRollbackText(back, asked)}` };
  }
  const response = failureResponse(watch, options.onFailure, options.previousTaskDefinition, undefined);
  return respondToFailure(clients, response, options.rollbackContext);
}

/**
 * How long to wait for a staged rollback to move traffic back: until timeout-minutes runs out, and at least 30 s (or
 * 10 polls) from now, so that a deployment stopped because the timeout ran out is still seen back on the old revision
 * (a matter of seconds for ECS), as the rolling path waits that long for ECS's rollback deployment to appear. Pure.
 */
export function stagedRollbackDeadline(deadline: Date, pollSeconds: number, nowMs: number): Date {
  return new Date(Math.max(deadline.getTime(), nowMs + rollbackGraceMs(pollSeconds)));
}

/**
 * How the rollback ended, and when production traffic was seen back: `ROLLBACK_SUCCESSFUL; production traffic was all
 * back …`, or, when timeout-minutes ran out first, that its end was not seen (never that traffic is back unless a read
 * said so). Pure.
 */
export function stagedRollbackText(back: StagedRollbackResult, asked: Date): string {
  const seconds = back.trafficBackAt ? (back.trafficBackAt.getTime() - asked.getTime()) / 1000 : undefined;
  const traffic =
    seconds !== undefined
      ? `production traffic was all back on the old revision ${formatSeconds(seconds)} after the failure was seen`
      : 'production traffic was not yet seen back on the old revision';
  if (back.ended) return `${back.status}; ${traffic}`;
  const last = back.unread ? `status unknown: ${back.unread}` : `last seen ${back.status}`;
  return `the rollback's end was not seen before timeout-minutes ran out (${last}); ${traffic}; it carries on in ECS`;
}
