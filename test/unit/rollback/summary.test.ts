import { rollbackSummary } from '../../../actions/rollback/summary.js';
import type { WatchResult } from '../../../lib/ecs/watch-result.js';
import { rollingTrafficBack, stagedTrafficBack } from '../../../actions/rollback/traffic-back.js';

const from = {
  arn: 'arn:aws:ecs:us-east-1:1:task-definition/web:5',
  label: 'web:5',
  images: [{ container: 'server', image: 'app:bad' }],
  registeredAt: '2026-11-20T10:00:00Z',
  registeredBy: 'arn:aws:iam::1:role/ci',
};
const to = {
  ...from,
  arn: 'arn:aws:ecs:us-east-1:1:task-definition/web:3',
  label: 'web:3',
  images: [{ container: 'server', image: 'app:good' }],
};

describe('rollbackSummary', () => {
  it('shows from and to with images and registration, why, the differences and the timeline', () => {
    const start = new Date('2026-11-22T10:00:00Z');
    const watch: WatchResult = {
      status: 'COMPLETED',
      deploymentId: 'ecs-svc/123',
      timeline: [
        { at: new Date('2026-11-22T10:00:05Z'), kind: 'event', text: '(service s) has started 2 tasks' },
        { at: new Date('2026-11-22T10:01:00Z'), kind: 'outcome', text: 'COMPLETED' },
      ],
      stoppedTasks: [],
      startedAt: start,
      finishedAt: new Date('2026-11-22T10:01:00Z'),
    };
    const markdown = rollbackSummary({
      cluster: 'c',
      service: 's',
      status: 'COMPLETED',
      dryRun: false,
      headline: 'The service is back on web:3.',
      from,
      to,
      reason: 'to: previous — the last deployment before web:5 that succeeded; skipped web:4 (ROLLBACK_SUCCESSFUL).',
      differences: ['container server: image app:bad -> app:good'],
      action: 'UpdateService to web:3 (forceNewDeployment)',
      deploymentId: 'ecs-svc/123',
      watch,
    }).render();
    expect(markdown).toContain('## Rollback of s: COMPLETED');
    expect(markdown).toContain('| **Revision** | web:5 | web:3 |');
    expect(markdown).toContain('| **Image** (server) | `app:bad` | `app:good` |');
    expect(markdown).toContain('| **Registered** | registered 2026-11-20T10:00:00Z by arn:aws:iam::1:role/ci |');
    expect(markdown).toContain(
      '### Why this target\n\nto: previous — the last deployment before web:5 that succeeded; skipped web:4',
    );
    expect(markdown).toContain('- container server: image app:bad -> app:good');
    expect(markdown).toContain('| 10:00:05 | +0:05 | (service s) has started 2 tasks |');
  });

  it('marks a dry run, says when nothing differs, and leaves out what did not happen', () => {
    const markdown = rollbackSummary({
      cluster: 'c',
      service: 's',
      status: 'NOOP',
      dryRun: true,
      headline: 'Dry run, nothing changed.',
      from,
      to: from,
      differences: [],
    }).render();
    expect(markdown).toContain('## Rollback of s (dry run): NOOP');
    expect(markdown).toContain('### Differences\n\nNone.');
    expect(markdown).not.toContain('Timeline');
    expect(markdown).not.toContain('**Deployment**');
    expect(markdown).not.toContain('**Path**');
    expect(markdown).not.toContain('**Traffic back**');
  });

  describe('says which path the rollback took and how long production traffic took to come back', () => {
    const calledAt = new Date('2026-11-22T10:00:00Z');
    const base = { cluster: 'c', service: 's', dryRun: false, headline: 'h', from, to, status: 'COMPLETED' as const };

    it('StopServiceDeployment of a blue/green deployment during its bake', () => {
      const back = stagedTrafficBack('BLUE_GREEN', calledAt, new Date('2026-11-22T10:00:04.5Z'));
      const markdown = rollbackSummary({
        ...base,
        action: 'StopServiceDeployment abc (stopType ROLLBACK)',
        trafficBack: back,
      }).render();
      expect(markdown).toContain(
        '| **Path** | StopServiceDeployment ROLLBACK (BLUE_GREEN): ECS moved production traffic back to web:3, still running |',
      );
      expect(markdown).toContain(
        '| **Traffic back** | Production traffic all back on web:3 4.5s after StopServiceDeployment. |',
      );
    });

    it('a rolling UpdateService: from the call to the first poll with only the target in service', () => {
      const watch: WatchResult = {
        status: 'COMPLETED',
        deploymentId: 'ecs-svc/1',
        timeline: [],
        stoppedTasks: [],
        startedAt: calledAt,
        finishedAt: new Date('2026-11-22T10:07:00Z'),
        rollout: {
          moments: { startedAt: calledAt, servingAt: new Date('2026-11-22T10:02:10Z'), finishedAt: calledAt },
          groups: [],
        },
      };
      const markdown = rollbackSummary({
        ...base,
        trafficBack: rollingTrafficBack('UpdateService', calledAt, watch),
      }).render();
      expect(markdown).toContain("| **Path** | UpdateService: a rolling deployment started web:3's tasks again |");
      expect(markdown).toContain(
        '| **Traffic back** | Production traffic all back on web:3 2m 10s after UpdateService. |',
      );
    });

    it('a rolling StopServiceDeployment, traffic not seen (no target group), and a rollback not waited for', () => {
      const unseen = rollingTrafficBack('StopServiceDeployment', calledAt, {
        status: 'COMPLETED',
        deploymentId: 'ecs-svc/1',
        timeline: [],
        stoppedTasks: [],
        startedAt: calledAt,
        finishedAt: calledAt,
      });
      const markdown = rollbackSummary({ ...base, trafficBack: unseen }).render();
      expect(markdown).toContain(
        "| **Path** | StopServiceDeployment ROLLBACK of a rolling deployment: a rolling deployment started web:3's tasks again |",
      );
      expect(markdown).toContain(
        '| **Traffic back** | Production traffic was not seen all back on web:3 while waiting. |',
      );
      const notWaited = rollbackSummary({
        ...base,
        status: undefined,
        trafficBack: stagedTrafficBack('CANARY', calledAt, undefined, false),
      }).render();
      expect(notWaited).toContain(
        '| **Traffic back** | Not waited for (wait: false): ECS puts production traffic back on web:3 on its own. |',
      );
    });
  });
});
