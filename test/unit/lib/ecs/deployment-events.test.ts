import { newEvents, reportsStoppedTaskOf, taskNews } from '../../../../lib/ecs/deployment-events.js';

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
