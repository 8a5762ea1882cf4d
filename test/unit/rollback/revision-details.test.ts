import {
  registeredLine,
  revisionDetails,
  revisionDifferences,
  secretValues,
  timestamp,
} from '../../../actions/rollback/revision-details.js';
import type { TaskDefinitionJson } from '../../../lib/ecs/task-definitions.js';

const running: TaskDefinitionJson = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:5',
  family: 'web',
  revision: 5,
  status: 'ACTIVE',
  registeredAt: 1763805600,
  registeredBy: 'arn:aws:sts::123456789012:assumed-role/deploy/gha',
  containerDefinitions: [
    {
      name: 'server',
      image: 'app:bad',
      environment: [
        { name: 'DATABASE_NAME', value: 'prod' },
        { name: 'DJANGO_SECRET_KEY', value: 'new-secret-value' },
        { name: 'DATABASE_URL', value: 'postgres://app:hunter2@db/prod' },
        { name: 'FEATURE_X', value: 'on' },
      ],
      secrets: [{ name: 'STRIPE_KEY', valueFrom: 'arn:secret:stripe-v2' }],
    },
    { name: 'log-router', image: 'fluent-bit:2', essential: false },
  ],
};
const target: TaskDefinitionJson = {
  ...running,
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
  revision: 3,
  containerDefinitions: [
    {
      name: 'server',
      image: 'app:good',
      environment: [
        { name: 'DATABASE_NAME', value: 'prod_old' },
        { name: 'DJANGO_SECRET_KEY', value: 'old-secret-value' },
        { name: 'DATABASE_URL', value: 'postgres://app:letmein@db/prod' },
      ],
      secrets: [
        { name: 'STRIPE_KEY', valueFrom: 'arn:secret:stripe-v1' },
        { name: 'SENTRY_DSN', valueFrom: 'arn:secret:sentry' },
      ],
    },
    { name: 'log-router', image: 'fluent-bit:2', essential: false },
  ],
};

describe('revisionDetails', () => {
  it('names the revision, the image of every container and who registered it when', () => {
    const details = revisionDetails(running);
    expect(details.label).toBe('web:5');
    expect(details.images).toEqual([
      { container: 'server', image: 'app:bad' },
      { container: 'log-router', image: 'fluent-bit:2' },
    ]);
    expect(registeredLine(details)).toBe(
      'registered 2025-11-22T10:00:00Z by arn:aws:sts::123456789012:assumed-role/deploy/gha',
    );
  });
  it('reads epoch seconds, ISO strings and Dates', () => {
    expect(timestamp(1763805600.5)).toBe('2025-11-22T10:00:00.500Z');
    expect(timestamp('2025-11-22T10:00:00Z')).toBe('2025-11-22T10:00:00Z');
    expect(timestamp(new Date(0))).toBe('1970-01-01T00:00:00Z');
    expect(timestamp(undefined)).toBeUndefined();
  });
});

describe('revisionDifferences', () => {
  const lines = revisionDifferences(running, target);
  it('lists image, environment and secret changes per container', () => {
    expect(lines).toContain('container server: image app:bad -> app:good');
    expect(lines).toContain('container server: environment DATABASE_NAME changed');
    expect(lines).toContain('container server: environment FEATURE_X removed');
    expect(lines).toContain('container server: secret STRIPE_KEY changed source');
    expect(lines).toContain('container server: secret SENTRY_DSN added');
    expect(lines.some((line) => line.includes('log-router'))).toBe(false);
  });
  it('names every variable without its value: a name-based check cannot tell DB_PASS or SENTRY_DSN is secret', () => {
    expect(lines).toContain('container server: environment DJANGO_SECRET_KEY changed');
    expect(lines).toContain('container server: environment DATABASE_URL changed');
    const text = lines.join('\n');
    for (const value of [
      'new-secret-value',
      'old-secret-value',
      'hunter2',
      'letmein',
      'arn:secret',
      'prod_old',
      '(was',
    ]) {
      expect(text).not.toContain(value);
    }
  });
  it('says when a container exists in only one of them', () => {
    const single = { ...target, containerDefinitions: [{ name: 'web', image: 'x' }] };
    expect(revisionDifferences(running, single)).toEqual([
      'container server: not in the target revision',
      'container log-router: not in the target revision',
      'container web: only in the target revision (image x)',
    ]);
  });
});

describe('secretValues', () => {
  it('collects the values to mask from both revisions', () => {
    expect(secretValues(running, target).sort()).toEqual(
      [
        'new-secret-value',
        'old-secret-value',
        'postgres://app:hunter2@db/prod',
        'postgres://app:letmein@db/prod',
      ].sort(),
    );
  });
});
