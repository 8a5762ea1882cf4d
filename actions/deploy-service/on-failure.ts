import { UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { sleep } from '../shared/action.js';
import * as report from '../shared/report.js';
import { primaryDeployment, shortRef } from '../shared/deployment-state.js';
import { findService, watchDeployment, type WatchClients, type WatchResult } from '../shared/deployment-watch.js';
import type { FailureResponse } from './failure-response.js';

/** Carries out `on-failure: rollback`: waits for ECS's own rollback, or puts the previous revision back itself. */

export interface RollbackContext {
  cluster: string;
  service: string;
  failedTaskDefinition?: string;
  failedDeploymentId: string;
  rollbackDeploymentId?: string;
  timeoutSeconds: number;
  pollSeconds: number;
  healthCheck?: { url: string; timeoutSeconds: number };
  signal?: AbortSignal;
}

export async function respondToFailure(
  clients: WatchClients,
  response: FailureResponse,
  context: RollbackContext,
): Promise<{ note: string; watch?: WatchResult } | undefined> {
  if (response.action === 'none') return response.note ? { note: response.note } : undefined;
  const watchOptions = {
    cluster: context.cluster,
    service: context.service,
    timeoutSeconds: context.timeoutSeconds,
    pollSeconds: context.pollSeconds,
    healthCheck: context.healthCheck,
    signal: context.signal,
    previousTaskDefinition: context.failedTaskDefinition,
  };

  if (response.action === 'wait-for-ecs-rollback') {
    const id = context.rollbackDeploymentId ?? (await findRollbackDeployment(clients, context));
    if (!id) return { note: 'ECS is rolling back, but its rollback deployment did not appear in time' };
    report.info(`on-failure: rollback — ECS is already rolling back (deployment ${id}); waiting for it to finish`);
    const watch = await watchDeployment(clients, { ...watchOptions, deploymentId: id });
    return { note: `ECS rolled back with deployment ${id}: ${watch.status}`, watch };
  }

  report.info(`on-failure: rollback — putting the service back on ${shortRef(response.to)}`);
  const updated = await clients.ecs.send(
    new UpdateServiceCommand({ cluster: context.cluster, service: context.service, taskDefinition: response.to }),
  );
  const id = primaryDeployment(updated.service)?.id;
  if (!id) return { note: `Updated the service back to ${shortRef(response.to)}; its deployment id was not returned` };
  const watch = await watchDeployment(clients, { ...watchOptions, deploymentId: id });
  return { note: `Rolled back to ${shortRef(response.to)} with deployment ${id}: ${watch.status}`, watch };
}

/** The circuit breaker's new PRIMARY deployment can show up a poll after ours turned FAILED. */
async function findRollbackDeployment(clients: WatchClients, context: RollbackContext): Promise<string | undefined> {
  const deadline = Date.now() + Math.max(30_000, context.pollSeconds * 10_000);
  for (;;) {
    const service = await findService(clients.ecs, context.cluster, context.service, { missingIsInputError: false });
    const primary = primaryDeployment(service);
    if (primary?.id && primary.id !== context.failedDeploymentId) return primary.id;
    if (Date.now() > deadline || context.signal?.aborted) return undefined;
    await sleep(context.pollSeconds * 1000, context.signal);
  }
}
