import { deploySummary } from '../../../actions/deploy-service/summary.js';
import type { WatchResult } from '../../../lib/ecs/watch-result.js';
import type { StagedWatchResult } from '../../../lib/ecs/service-deployment-watch.js';

const start = new Date('2026-11-22T10:00:00Z');
const watch: WatchResult = {
  status: 'ROLLED_BACK',
  reason: 'ECS deployment circuit breaker: tasks failed to start; ECS is rolling back to web:3 (deployment ecs-svc/2)',
  deploymentId: 'ecs-svc/1',
  counts: { desired: 2, running: 0, pending: 0, failed: 3, rolloutState: 'FAILED' },
  timeline: [
    { at: new Date('2026-11-22T10:00:05Z'), kind: 'event', text: '(service web) has started 2 tasks' },
    { at: new Date('2026-11-22T10:01:10Z'), kind: 'outcome', text: 'ROLLED_BACK' },
  ],
  stoppedTasks: [
    { taskArn: 'arn/t1', taskId: 't1', at: start, lines: ['Task t1 stopped (EssentialContainerExited): x'] },
  ],
  failedTaskLogs: {
    taskId: 't1',
    container: 'app',
    group: '/ecs/web',
    stream: 'ecs/app/t1',
    lines: ['ImportError: boom'],
  },
  startedAt: start,
  finishedAt: start,
};

it('shows revisions, images, the reason, stopped tasks, log lines and the timeline', () => {
  const markdown = deploySummary({
    cluster: 'c',
    service: 'web',
    previousTaskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/web:3',
    newTaskDefinition: 'arn:aws:ecs:us-east-1:1:task-definition/web:4',
    deploymentId: 'ecs-svc/1',
    plan: {
      container: 'app',
      imageBefore: 'app:1',
      imageAfter: 'app:2',
      tags: [],
      definition: { family: 'web' },
      secretNames: ['DJANGO_SECRET_KEY'],
    },
    changes: [
      { scope: 'app', what: 'image', change: 'changed', before: 'app:1', after: 'app:2' },
      { scope: 'app', what: 'environment DB_PASSWORD', change: 'changed' },
    ],
    status: 'ROLLED_BACK',
    durationSeconds: 70,
    waited: true,
    watch,
    startedAt: start,
  }).render();
  expect(markdown).toContain('## ❌ Deploy web: ROLLED_BACK');
  expect(markdown).toContain('| **Revision** | web:3 → web:4 |');
  expect(markdown).toContain('| **Image** | app:1 → app:2 |');
  expect(markdown).toContain(
    '### Changes from web:3\n\n- container app: image app:1 → app:2\n- container app: environment DB_PASSWORD changed',
  );
  expect(markdown).toContain('### Checked before any change\n\nNot checked: `verify: false`.');
  expect(markdown).toContain('| **Final counts** | 0/2 running, 0 pending, 3 failed · rollout FAILED |');
  expect(markdown).toContain('ECS is rolling back to web:3');
  expect(markdown).toContain('Task t1 stopped (EssentialContainerExited): x');
  expect(markdown).toContain('### Last 1 log lines of task t1 (app)');
  expect(markdown).toContain('ImportError: boom');
  expect(markdown).toContain('| 10:00:05 | +0:05 | (service web) has started 2 tasks |');
  expect(markdown).toContain('| 10:01:10 | +1:10 | ROLLED_BACK |');
});

it('says the deployment was only started when not waiting', () => {
  const markdown = deploySummary({ cluster: 'c', service: 'web', waited: false, startedAt: start }).render();
  expect(markdown).toContain('STARTED (not waited for)');
});

describe('before any change', () => {
  const base = { cluster: 'c', service: 'web', waited: true, startedAt: start };
  const plan = { container: 'app', tags: [], secretNames: [], definition: { family: 'web' } };
  const text = {
    problems: ['image app:x (container app): tag x is not in ECR repository app'],
    warnings: [],
    found: [],
    notChecked: [],
  };

  it('a failed verification: not started, the problem listed', () => {
    const markdown = deploySummary({
      ...base,
      plan,
      changes: [],
      verification: { text, failed: true, headline: '' },
    }).render();
    expect(markdown).toContain('## ❌ Deploy web: not started, verify failed');
    expect(markdown).toContain('- ❌ image app:x (container app): tag x is not in ECR repository app');
  });

  it('a dry run: nothing changed, the changes and checks listed', () => {
    const passed = {
      text: { ...text, problems: [], found: ['image app:y (container app): exists'] },
      failed: false,
      headline: '',
    };
    const markdown = deploySummary({
      ...base,
      dryRun: true,
      plan,
      changes: [{ scope: 'app', what: 'environment FEATURE', change: 'added' }],
      verification: passed,
    }).render();
    expect(markdown).toContain('## ℹ️ Deploy web: dry run, nothing changed');
    expect(markdown).toContain('- container app: environment FEATURE added');
    expect(markdown).toContain('- ✅ image app:y (container app): exists');
  });
});

describe('a staged (blue/green, linear, canary) deployment', () => {
  const staged = (fields: Partial<StagedWatchResult>): StagedWatchResult => ({
    ...watch,
    counts: undefined,
    stoppedTasks: [],
    failedTaskLogs: undefined,
    ...fields,
  });
  const report = (w: StagedWatchResult) =>
    deploySummary({
      cluster: 'c',
      service: 'web',
      deploymentId: 'ecs-svc/1',
      status: w.status,
      waited: true,
      watch: w,
      startedAt: start,
    }).render();

  it('ends with the new revision final counts and its share of traffic', () => {
    const markdown = report(
      staged({
        status: 'COMPLETED',
        reason: undefined,
        finalCounts: '2/2 running, 0 pending of the new revision · production 100% / test 100% on the new revision',
      }),
    );
    expect(markdown).toContain(
      '| **Final counts** | 2/2 running, 0 pending of the new revision · production 100% / test 100% on the new revision |',
    );
    expect(markdown).not.toContain('Failed at');
  });

  it('says the stage it failed at', () => {
    const markdown = report(
      staged({
        status: 'ROLLED_BACK',
        failedAt: 'PRODUCTION_TRAFFIC_SHIFT',
        finalCounts: '0/2 running, 0 pending of the new revision · production 0% / test 0% on the new revision',
      }),
    );
    expect(markdown).toContain('| **Failed at** | PRODUCTION_TRAFFIC_SHIFT |');
    expect(markdown).toContain('| **Final counts** | 0/2 running, 0 pending of the new revision');
  });
});
