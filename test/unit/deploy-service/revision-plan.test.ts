import { InputError } from '../../../lib/runner/inputs.js';
import { planRevision } from '../../../actions/deploy-service/revision-plan.js';
import type { TaskDefinitionJson } from '../../../lib/ecs/task-definitions.js';

const current: TaskDefinitionJson = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:3',
  family: 'web',
  revision: 3,
  status: 'ACTIVE',
  futureField: { keep: true },
  containerDefinitions: [
    { name: 'log-router', image: 'fluent-bit:1', essential: false },
    {
      name: 'app',
      image: 'repo/app:1',
      essential: true,
      environment: [{ name: 'DATABASE_NAME', value: 'prod' }],
      secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:us-east-1:1:secret:db' }],
      restartPolicy: { enabled: true },
    } as never,
  ],
};
const tags = [{ key: 'team', value: 'web' }];

describe('planRevision', () => {
  it('puts the image on the only essential container, keeping every other field and the tags', () => {
    const plan = planRevision({ definition: current, tags }, { kind: 'image', image: 'repo/app:2' }, undefined, [
      { name: 'FEATURE', value: 'on' },
      { name: 'DATABASE_NAME', value: 'prod2' },
    ]);
    expect(plan.container).toBe('app');
    expect(plan.imageBefore).toBe('repo/app:1');
    expect(plan.imageAfter).toBe('repo/app:2');
    expect(plan.tags).toEqual(tags);
    expect(plan.definition?.futureField).toEqual({ keep: true });
    expect(plan.definition?.containerDefinitions?.[1]).toMatchObject({ restartPolicy: { enabled: true } });
    expect(plan.definition?.containerDefinitions?.[0]?.image).toBe('fluent-bit:1');
    expect(plan.definition?.containerDefinitions?.[1]?.environment).toEqual([
      { name: 'DATABASE_NAME', value: 'prod2' },
      { name: 'FEATURE', value: 'on' },
    ]);
    expect(plan.secretNames).toEqual(['DB_PASSWORD']);
    expect(current.containerDefinitions?.[1]?.image).toBe('repo/app:1');
  });

  it('fails with an input error when the container is not in the task definition', () => {
    expect(() => planRevision({ definition: current, tags }, { kind: 'image', image: 'x:1' }, 'web', [])).toThrow(
      InputError,
    );
  });

  it('uses the file for a render-then-deploy, with its own tags', () => {
    const file: TaskDefinitionJson = {
      family: 'web',
      tags: [{ key: 'from', value: 'file' }],
      containerDefinitions: [{ name: 'app', image: 'repo/app:3', essential: true }],
    };
    const plan = planRevision(
      { definition: current, tags },
      { kind: 'file', path: 'td.json', definition: file },
      undefined,
      [],
    );
    expect(plan.definition?.containerDefinitions?.[0]?.image).toBe('repo/app:3');
    expect(plan.imageBefore).toBe('repo/app:1');
    expect(plan.tags).toEqual([{ key: 'from', value: 'file' }]);
  });

  it('registers nothing for a redeploy of the current revision', () => {
    const plan = planRevision({ definition: current, tags }, { kind: 'redeploy' }, undefined, []);
    expect(plan.definition).toBeUndefined();
    expect(plan.imageAfter).toBe('repo/app:1');
  });
});

describe('planRevision: tags', () => {
  it('sets the extra tags on the new revision, replacing a carried tag of the same key', () => {
    const plan = planRevision(
      { definition: current, tags: [...tags, { key: 'frontend-commit', value: 'old' }] },
      { kind: 'image', image: 'repo/app:2' },
      undefined,
      [],
      [{ name: 'frontend-commit', value: 'new' }],
    );
    expect(plan.tags).toEqual([...tags, { key: 'frontend-commit', value: 'new' }]);
  });

  it('without extra tags carries the current ones over unchanged (a release without a frontend keeps its record)', () => {
    const carried = [...tags, { key: 'frontend-commit', value: 'old' }];
    const plan = planRevision(
      { definition: current, tags: carried },
      { kind: 'image', image: 'x/app:2' },
      undefined,
      [],
    );
    expect(plan.tags).toEqual(carried);
  });
});
