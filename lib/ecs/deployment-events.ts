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

/** What one service event says about tasks, read from ECS's wording (sandbox/sim/service-events.ts lists it). */
export interface TaskNews {
  /** `has started 2 tasks: (task a) (task b).` */
  started: string[];
  /** `has stopped 1 running tasks: (task a).` (also old tasks being replaced, in a healthy rollout) */
  stopped: string[];
  /**
   * A task failed: `was unable to place a task. Reason: …` (it stopped before it ran, no task named), `(task a)
   * (port 80) is unhealthy in (target-group …)`, `(task a) failed container health checks.`, `is unable to
   * consistently start tasks successfully.`
   */
  failure: boolean;
}

const TASK_ID = /\(task ([^)\s]+)\)/g;
const taskIds = (text: string) => [...text.matchAll(TASK_ID)].map((match) => match[1] as string);

export function taskNews(message: string | undefined): TaskNews {
  const text = message ?? '';
  const started = /has started \d+ tasks?:(.*)$/.exec(text);
  const stopped = /has stopped \d+ running tasks?:(.*)$/.exec(text);
  return {
    started: started ? taskIds(started[1] as string) : [],
    stopped: stopped ? taskIds(stopped[1] as string) : [],
    failure:
      /was unable to place a task|is unable to consistently start tasks|\) is unhealthy in |failed container health checks/.test(
        text,
      ),
  };
}

/**
 * Whether an event is worth a ListTasks: a task failed, or one of `ours` (the tasks our deployment started) stopped.
 * Old tasks stopped by a healthy rollout are not.
 */
export function reportsStoppedTaskOf(news: TaskNews, ours: ReadonlySet<string>): boolean {
  return news.failure || news.stopped.some((id) => ours.has(id));
}
