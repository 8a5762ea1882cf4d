import type { ServiceEvent } from '@aws-sdk/client-ecs';

/**
 * Service events are returned newest first, at most 100, and repeat on every DescribeServices: print each once,
 * oldest first, and only those from `since` on (the ones before our deployment are history).
 */
export function newEvents(events: ServiceEvent[] | undefined, seen: ReadonlySet<string>, since?: Date): ServiceEvent[] {
  const fresh = (events ?? []).filter((event) => {
    const key = eventKey(event);
    if (seen.has(key)) return false;
    return !since || !event.createdAt || event.createdAt.getTime() >= since.getTime();
  });
  return fresh.sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
}

export function eventKey(event: ServiceEvent): string {
  return event.id ?? `${event.createdAt?.toISOString()} ${event.message}`;
}

/** Events that name stopped or failed tasks: a hint that DescribeTasks has something new to say. */
export function mentionsStoppedTasks(event: ServiceEvent): boolean {
  return /has stopped \d+ running tasks|failed to start|unhealthy|is unable to/i.test(event.message ?? '');
}
