import type { Deployment, ECSClient } from '@aws-sdk/client-ecs';
import { primaryDeployment } from './deployment-state.js';
import { findService, requireService } from './service-api.js';
import { poll } from '../runner/time.js';

export interface NewPrimaryOptions {
  cluster: string;
  service: string;
  /** Whether this PRIMARY deployment is the one waited for (not one that was there before). */
  isNew: (id: string, primary: Deployment) => boolean;
  /** Give up (undefined) once this passes. */
  deadline: Date;
  pollSeconds: number;
  signal?: AbortSignal;
  /** A service that is gone is a ServiceNotFoundError (default: keep waiting, as if it had no new deployment yet). */
  serviceMustExist?: boolean;
}

/** Waits for a PRIMARY deployment that ECS starts on its own (a rollback); its id, or undefined at the deadline. */
export async function waitForNewPrimary(ecs: ECSClient, options: NewPrimaryOptions): Promise<string | undefined> {
  const polled = await poll(
    async () => {
      const service = options.serviceMustExist
        ? await requireService(ecs, options.cluster, options.service)
        : (await findService(ecs, options.cluster, options.service)).service;
      const primary = primaryDeployment(service);
      return primary?.id && options.isNew(primary.id, primary) ? primary.id : undefined;
    },
    { every: options.pollSeconds * 1000, deadline: options.deadline.getTime(), signal: options.signal },
  );
  if (polled.done) return polled.value;
  options.signal?.throwIfAborted();
  return undefined;
}
