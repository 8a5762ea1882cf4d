import { changeLine, revisionChanges } from '../../../../lib/ecs/revision-changes.js';
import type { TaskDefinitionJson } from '../../../../lib/ecs/task-definitions.js';

const running: TaskDefinitionJson = {
  family: 'web',
  cpu: '512',
  memory: '1024',
  taskRoleArn: 'arn:aws:iam::1:role/app',
  executionRoleArn: 'arn:aws:iam::1:role/exec',
  containerDefinitions: [
    {
      name: 'server',
      image: 'app:bad',
      command: ['gunicorn', '--password=hunter2'],
      portMappings: [{ containerPort: 8000, protocol: 'tcp' }],
      healthCheck: { command: ['CMD-SHELL', 'curl -H "X-Token: tok-1" localhost'], interval: 30 },
      environment: [
        { name: 'DATABASE_NAME', value: 'prod' },
        { name: 'DB_PASS', value: 'old-pw' },
        { name: 'REDIS_URL', value: 'redis://:old-redis@h' },
        { name: 'FEATURE_X', value: 'on' },
      ],
      secrets: [
        { name: 'STRIPE_KEY', valueFrom: 'arn:secret:stripe-old' },
        { name: 'GONE', valueFrom: 'arn:secret:gone' },
      ],
    },
    { name: 'log-router', image: 'fluent-bit:2' },
  ],
};

const target: TaskDefinitionJson = {
  family: 'web',
  cpu: '1024',
  memory: '1024',
  taskRoleArn: 'arn:aws:iam::1:role/app-v2',
  executionRoleArn: 'arn:aws:iam::1:role/exec',
  containerDefinitions: [
    {
      name: 'server',
      image: 'app:good',
      command: ['gunicorn', '--password=letmein'],
      portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
      healthCheck: { command: ['CMD-SHELL', 'curl -H "X-Token: tok-2" localhost'], interval: 30 },
      environment: [
        { name: 'DATABASE_NAME', value: 'prod_old' },
        { name: 'DB_PASS', value: 'new-pw' },
        { name: 'REDIS_URL', value: 'redis://:new-redis@h' },
        { name: 'SENTRY_DSN', value: 'https://key123@sentry.io/1' },
      ],
      secrets: [
        { name: 'STRIPE_KEY', valueFrom: 'arn:secret:stripe-new' },
        { name: 'SENTRY_AUTH', valueFrom: 'arn:secret:sentry' },
      ],
    },
    { name: 'log-router', image: 'fluent-bit:2' },
  ],
};

describe('revisionChanges', () => {
  const lines = revisionChanges(running, target).map(changeLine);

  it('lists image, sizes, ports and roles with their values, task-level first', () => {
    expect(lines.slice(0, 2)).toEqual([
      'task: cpu 512 → 1024',
      'task: taskRoleArn arn:aws:iam::1:role/app → arn:aws:iam::1:role/app-v2',
    ]);
    expect(lines).toContain('container server: image app:bad → app:good');
    expect(lines).toContain('container server: ports 8000/tcp → 8080/tcp');
  });

  it('names environment variables and secrets added, removed and changed, sorted', () => {
    expect(lines.filter((l) => l.includes('environment') || l.includes('secret'))).toEqual([
      'container server: environment DATABASE_NAME changed',
      'container server: environment DB_PASS changed',
      'container server: environment FEATURE_X removed',
      'container server: environment REDIS_URL changed',
      'container server: environment SENTRY_DSN added',
      'container server: secret GONE removed',
      'container server: secret SENTRY_AUTH added',
      'container server: secret STRIPE_KEY changed',
    ]);
  });

  it('says the command and health check changed without showing them', () => {
    expect(lines).toContain('container server: command changed');
    expect(lines).toContain('container server: health check changed');
  });

  it('never carries a value of the environment, a secret reference, the command or the health check', () => {
    const text = JSON.stringify(revisionChanges(running, target)) + lines.join('\n');
    for (const value of [
      'old-pw',
      'new-pw',
      'old-redis',
      'new-redis',
      'key123',
      'hunter2',
      'letmein',
      'tok-1',
      'tok-2',
      'stripe-old',
      'stripe-new',
      'prod_old',
      '"on"',
    ]) {
      expect(text).not.toContain(value);
    }
  });

  it('leaves out what did not change, and says which containers come and go', () => {
    expect(lines.some((l) => l.includes('log-router'))).toBe(false);
    expect(lines.some((l) => l.includes('memory'))).toBe(false);
    const single = { ...target, containerDefinitions: [{ name: 'web', image: 'x' }] };
    expect(
      revisionChanges(running, single)
        .filter((c) => c.what === 'container')
        .map(changeLine),
    ).toEqual([
      'container server: container removed (was app:bad)',
      'container log-router: container removed (was fluent-bit:2)',
      'container web: container added x',
    ]);
    expect(revisionChanges(running, running)).toEqual([]);
  });
});
