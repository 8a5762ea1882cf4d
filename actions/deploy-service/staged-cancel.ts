import type { WatchClients } from '../../lib/ecs/watch-result.js';
import { stopDeploymentWithRollback } from '../../lib/ecs/service-api.js';
import { describeServiceDeployment, newestServiceDeploymentSince } from '../../lib/ecs/service-deployments-api.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import { errorText } from '../../lib/runner/error-text.js';
import { abortAtDeadline, now } from '../../lib/runner/time.js';
import * as log from './log.js';
import type { DeployReport } from './summary.js';

/**
 * Cancelled while watching a blue/green, linear or canary deployment of ours. With `on-failure: rollback`, a service
 * deployment still in flight (PENDING or IN_PROGRESS, the bake included) is stopped with StopServiceDeployment ROLLBACK:
 * ECS moves production traffic back to the revision still running, in seconds (an UpdateService would start yet
 * another deployment). One that has ended (completed, or already rolling back) is left as it is. With `on-failure:
 * fail`, as for rolling: no call, the deployment is left to ECS and the step says how to undo it.
 *
 * The runner sends SIGTERM 7.5 s after SIGINT and kills the step soon after (actions/runner ProcessInvoker): each
 * read is given up after READ_MS, the stop after STOP_MS, and all of it by GRACE_MS after the cancel, as
 * run-migration's StopTask on cancel is.
 */
const GRACE_MS = 5_000;
const READ_MS = 1_500;
const STOP_MS = 3_000;

/** What to do on cancel with the service deployment in `status` (undefined: it could not be read). Pure. */
export type StagedCancelResponse = { action: 'stop' } | { action: 'leave'; why: 'on-failure fail' | 'ended' };

export function stagedCancelResponse(onFailure: 'fail' | 'rollback', status: string | undefined): StagedCancelResponse {
  if (onFailure !== 'rollback') return { action: 'leave', why: 'on-failure fail' };
  // Unread: stopping is still right, and safe: ECS refuses to stop a deployment that is no longer in flight.
  if (status === undefined || status === 'PENDING' || status === 'IN_PROGRESS') return { action: 'stop' };
  return { action: 'leave', why: 'ended' };
}

export interface StagedCancelContext {
  cluster: string;
  service: string;
  onFailure: 'fail' | 'rollback';
  /** Our UpdateService was called after this: our service deployment is the newest since. */
  since: Date;
  /** Our service deployment, when the watch found it before the cancel. */
  serviceDeploymentArn?: string;
}

export async function respondToStagedCancel(
  clients: WatchClients,
  context: StagedCancelContext,
  deploy: DeployReport,
): Promise<void> {
  deploy.status ??= 'CANCELLED';
  const note = await stagedCancelNote(clients, context, deploy);
  deploy.rollback = { note };
  log.leftRunning(note);
}

async function stagedCancelNote(
  clients: WatchClients,
  context: StagedCancelContext,
  deploy: DeployReport,
): Promise<string> {
  const ours = log.ourDeployment(deploy);
  if (context.onFailure !== 'rollback') return `${ours} ${carriesOn(context.serviceDeploymentArn)}`;

  const graceEnds = now() + GRACE_MS;
  const within = (ms: number) => abortAtDeadline(graceEnds, ms);
  const found = await bounded(
    async () =>
      context.serviceDeploymentArn ??
      (await newestServiceDeploymentSince(
        clients.ecs,
        context.cluster,
        context.service,
        context.since,
        within(READ_MS),
      )),
  );
  const arn = found.value;
  if (!arn) {
    const why = found.error ?? 'no service deployment since our update';
    return `${ours} ${carriesOn(undefined)} (on-failure: rollback found no service deployment to stop: ${why}.)`;
  }
  const read = await bounded(async () => (await describeServiceDeployment(clients.ecs, arn, within(READ_MS)))?.status);
  const response = stagedCancelResponse(context.onFailure, read.value);
  if (response.action === 'leave') {
    return read.value === 'SUCCESSFUL'
      ? `${ours} had completed (service deployment SUCCESSFUL) before the cancel: left as it is. To undo it, run the rollback action.`
      : `${ours} was already ${read.value} (service deployment ${arn}) before the cancel: left to ECS.`;
  }
  log.stagedCancelStopping(arn);
  const stopped = await bounded(async () => {
    await stopDeploymentWithRollback(clients.ecs, arn, within(STOP_MS));
    return true;
  });
  if (!stopped.value) {
    log.rollbackOnCancelFailed(`StopServiceDeployment ROLLBACK of ${arn} failed: ${stopped.error}`);
    return `${ours} ${carriesOn(arn)}`;
  }
  const previous = shortTaskDefinition(deploy.previousTaskDefinition);
  return (
    `${ours} was left unfinished; on-failure: rollback stopped service deployment ${arn} with StopServiceDeployment ` +
    `ROLLBACK: ECS moves production traffic back to ${previous}, still running (not waited for: the rollback action ` +
    `or the ECS console shows when it ends).`
  );
}

/** What a staged deployment left to ECS does, and how to undo it. */
function carriesOn(arn: string | undefined): string {
  const stop = arn
    ? `\`aws ecs stop-service-deployment --service-deployment-arn ${arn} --stop-type ROLLBACK\``
    : '`aws ecs stop-service-deployment --stop-type ROLLBACK` on its service deployment';
  return (
    `carries on in ECS (this step no longer watches it; ECS still rolls it back on its own if it fails). To undo it ` +
    `while it is in flight or baking, run the rollback action or ${stop}: production traffic goes back to the ` +
    `revision still running.`
  );
}

/** The call's answer, or why there is none (an error, or no answer within its time). */
async function bounded<T>(call: () => Promise<T | undefined>): Promise<{ value?: T; error?: string }> {
  try {
    const value = await call();
    return value === undefined ? {} : { value };
  } catch (error) {
    const name = (error as Error).name;
    return { error: name === 'TimeoutError' || name === 'AbortError' ? 'no answer in time' : errorText(error) };
  }
}
