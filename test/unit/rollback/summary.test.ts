import { rollbackSummary } from '../../../actions/rollback/summary.js';
import type { WatchResult } from '../../../lib/ecs/watch-result.js';

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
  });
});
