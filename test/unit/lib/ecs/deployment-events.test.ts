import { newEvents, reportsStoppedTaskOf, taskNews } from '../../../../lib/ecs/deployment-events.js';
import { elapsed, formatTimeline, timelineRows } from '../../../../lib/ecs/deployment-timeline.js';

const at = (seconds: number) => new Date(Date.UTC(2026, 10, 22, 10, 0, seconds));

describe('newEvents', () => {
  const events = [
    { id: 'e3', createdAt: at(30), message: 'third' },
    { id: 'e2', createdAt: at(20), message: 'second' },
    { id: 'e1', createdAt: at(10), message: 'first' },
  ];

  it('returns unseen events oldest first', () => {
    expect(newEvents(events, new Set(['e2'])).map((e) => e.id)).toEqual(['e1', 'e3']);
  });

  it('skips events from before `since` (history of earlier deployments)', () => {
    expect(newEvents(events, new Set(), at(15)).map((e) => e.id)).toEqual(['e2', 'e3']);
  });

  it('returns nothing when every event was seen', () => {
    expect(newEvents(events, new Set(['e1', 'e2', 'e3']))).toEqual([]);
  });
});

describe('timeline', () => {
  it('formats elapsed time as minutes:seconds, with hours when needed', () => {
    expect(elapsed(at(65), at(0))).toBe('+1:05');
    expect(elapsed(new Date(at(0).getTime() + 3_723_000), at(0))).toBe('+1:02:03');
    expect(elapsed(at(0), at(5))).toBe('+0:00');
  });

  it('sorts entries by time and shows UTC time and time since start', () => {
    const entries = [
      { at: at(40), kind: 'outcome' as const, text: 'COMPLETED' },
      { at: at(12), kind: 'event' as const, text: 'has started 2 tasks' },
    ];
    expect(timelineRows(entries, at(0))).toEqual([
      ['10:00:12', '+0:12', 'has started 2 tasks'],
      ['10:00:40', '+0:40', 'COMPLETED'],
    ]);
    expect(formatTimeline(entries, at(0))).toBe('10:00:12 +0:12 has started 2 tasks\n10:00:40 +0:40 COMPLETED');
  });
});

describe('taskNews: what ECS-worded service events say about tasks', () => {
  const tg = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/abc';
  it('reads the ids of started and stopped tasks', () => {
    expect(taskNews('(service web) has started 2 tasks: (task a1) (task b2).')).toEqual({
      started: ['a1', 'b2'],
      stopped: [],
      failure: false,
    });
    expect(taskNews('(service web) has stopped 1 running tasks: (task a1).')).toEqual({
      started: [],
      stopped: ['a1'],
      failure: false,
    });
  });

  it.each([
    '(service web) was unable to place a task. Reason: CannotPullContainerError: pull image manifest has been retried 1 time(s).',
    '(service web) was unable to place a task. Reason: ResourceInitializationError: failed to validate logger args.',
    `(service web) (task a1) (port 8000) is unhealthy in (target-group ${tg}) due to (reason Health checks failed).`,
    '(service web) (task a1) failed container health checks.',
    '(service web) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section.',
  ])('reports a task failure: %s', (message) => {
    expect(taskNews(message).failure).toBe(true);
  });

  it.each([
    '(service web) has reached a steady state.',
    '(service web) (deployment ecs-svc/1) deployment completed.',
    `(service web) registered 2 targets in (target-group ${tg})`,
    `(service web) deregistered 2 targets in (target-group ${tg})`,
    '(service web, taskSet ecs-svc/0) has begun draining connections on 2 tasks.',
    '(service web) rolling back to deployment ecs-svc/0.',
  ])('reports no task failure: %s', (message) => {
    expect(taskNews(message).failure).toBe(false);
  });
});

describe('reportsStoppedTaskOf', () => {
  const ours = new Set(['new1']);
  it('is worth a ListTasks when one of our tasks stopped or any task failed', () => {
    expect(reportsStoppedTaskOf(taskNews('(service web) has stopped 1 running tasks: (task new1).'), ours)).toBe(true);
    expect(reportsStoppedTaskOf(taskNews('(service web) was unable to place a task. Reason: x.'), ours)).toBe(true);
  });
  it('is not when a healthy rollout stops the old tasks', () => {
    const news = taskNews('(service web) has stopped 2 running tasks: (task old1) (task old2).');
    expect(reportsStoppedTaskOf(news, ours)).toBe(false);
  });
});
