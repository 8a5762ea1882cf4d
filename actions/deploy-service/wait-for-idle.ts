import type { Deployment, Service } from '@aws-sdk/client-ecs';
import { countsOf, deploymentInFlight, progressLine } from '../../lib/ecs/deployment-state.js';
import { eventKey, newEvents } from '../../lib/ecs/deployment-events.js';
import { requireService } from '../../lib/ecs/service-api.js';
import { shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import type { WaitReporter, WatchClients } from '../../lib/ecs/watch-result.js';
import { formatSeconds, now, nowDate, poll } from '../../lib/runner/time.js';

export interface IdleOptions extends WaitReporter {
  cluster: string;
  service: string;
  timeoutSeconds: number;
  /** See WatchOptions.deadline. */
  deadline?: Date;
  pollSeconds: number;
  signal?: AbortSignal;
}

export interface IdleResult {
  /** The deployment we waited for, if there was one. */
  waitedFor?: string;
  service: Service;
}

/** If a deployment is in flight, waits for it to finish (printing that), so we do not race it. */
export async function waitForIdle(clients: WatchClients, options: IdleOptions): Promise<IdleResult> {
  const deadline = options.deadline?.getTime() ?? now() + options.timeoutSeconds * 1000;
  const progress = (line: string) => options.onProgress?.(line, nowDate());
  let service = await requireService(clients.ecs, options.cluster, options.service);
  const first = deploymentInFlight(service);
  if (!first) return { service };
  progress(
    `Waiting for deployment ${first.id} (${shortTaskDefinition(first.taskDefinition)}, ${progressLine(countsOf(first))}) to finish before deploying`,
  );
  const seen = new Set((service.events ?? []).map(eventKey));
  let lastLine = '';
  let inFlight: Deployment | undefined = first;
  let read: Service | undefined = service; // the first poll looks at the service just read
  const polled = await poll(
    async () => {
      service = read ?? (await requireService(clients.ecs, options.cluster, options.service));
      read = undefined;
      for (const event of newEvents(service.events, seen)) {
        seen.add(eventKey(event));
        progress(`event: ${event.message}`);
      }
      inFlight = deploymentInFlight(service);
      if (!inFlight) return service;
      const line = `${inFlight.id}: ${progressLine(countsOf(inFlight))}`;
      if (line !== lastLine) progress((lastLine = line));
      return undefined;
    },
    { every: options.pollSeconds * 1000, deadline, signal: options.signal },
  );
  if (polled.done) {
    progress(`Deployment ${first.id} finished; the service is idle`);
    return { waitedFor: first.id, service: polled.value };
  }
  options.signal?.throwIfAborted();
  throw new Error(
    `Deployment ${inFlight?.id} of service '${options.service}' was still in progress after ${formatSeconds(options.timeoutSeconds)}; not deploying over it (set wait-for-idle: false to do so)`,
  );
}
