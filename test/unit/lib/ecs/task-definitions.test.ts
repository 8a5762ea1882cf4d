import {
  chooseContainer,
  familyOf,
  isTaskDefinitionRef,
  ContainerChoiceError,
  revisionOf,
  shortTaskDefinition,
  toRegisterRequest,
  withContainerChanges,
  type TaskDefinitionJson,
} from '../../../../lib/ecs/task-definitions.js';

const definition: TaskDefinitionJson = {
  taskDefinitionArn: 'arn:aws:ecs:us-east-1:123456789012:task-definition/startupwebapp-migration-task:3',
  family: 'startupwebapp-migration-task',
  revision: 3,
  status: 'ACTIVE',
  requiresAttributes: [{ name: 'x' }],
  registeredBy: 'arn:aws:iam::123456789012:user/ci',
  containerDefinitions: [
    { name: 'log-router', image: 'fluent-bit', essential: false },
    { name: 'migration', image: 'app:old', environment: [{ name: 'DATABASE_NAME', value: 'startupwebapp_prod' }] },
  ],
  unknownNewField: 1,
};

describe('chooseContainer', () => {
  it('picks the only essential container even when a sidecar is listed first', () => {
    expect(chooseContainer(definition, undefined).name).toBe('migration');
  });
  it('picks the named container, and says what is there when it is missing', () => {
    expect(chooseContainer(definition, 'log-router').name).toBe('log-router');
    expect(() => chooseContainer(definition, 'web')).toThrow(
      new ContainerChoiceError({
        within: 'task definition startupwebapp-migration-task:3',
        items: ['log-router', 'migration'],
        named: 'web',
        candidates: ['migration'],
      }),
    );
    expect(() => chooseContainer(definition, 'web')).toThrow(
      "task definition startupwebapp-migration-task:3 has no container 'web' (containers: log-router, migration)",
    );
  });
  it('refuses to guess between several essential containers', () => {
    const two = { ...definition, containerDefinitions: [{ name: 'a' }, { name: 'b', essential: true }] };
    expect(() => chooseContainer(two, undefined)).toThrow(/has 2 essential containers \(a, b\), not one/);
    expect(() => chooseContainer(two, undefined)).toThrow(ContainerChoiceError);
  });
});

describe('building a new revision', () => {
  it('drops only the read-only fields and keeps unknown ones', () => {
    const request = toRegisterRequest(definition);
    expect(Object.keys(request).sort()).toEqual(['containerDefinitions', 'family', 'unknownNewField']);
  });
  it('sets the image and environment on the chosen container only, without touching the original', () => {
    const changed = withContainerChanges(definition, 'migration', {
      image: 'app:new',
      environment: [
        { name: 'DATABASE_NAME', value: 'healthtech_experiment' },
        { name: 'EXTRA', value: '1' },
      ],
    });
    expect(changed.containerDefinitions?.[1]?.image).toBe('app:new');
    expect(changed.containerDefinitions?.[1]?.environment).toEqual([
      { name: 'DATABASE_NAME', value: 'healthtech_experiment' },
      { name: 'EXTRA', value: '1' },
    ]);
    expect(changed.containerDefinitions?.[0]?.image).toBe('fluent-bit');
    expect(definition.containerDefinitions?.[1]?.image).toBe('app:old');
  });
  it('sets secret references by name: the same name replaced in place, new ones appended', () => {
    const base = withContainerChanges(definition, 'migration', {
      secrets: [
        { name: 'DATABASE_PASSWORD', valueFrom: 'arn:old' },
        { name: 'DATABASE_USER', valueFrom: 'arn:user' },
      ],
    });
    const changed = withContainerChanges(base, 'migration', {
      secrets: [
        { name: 'DJANGO_SUPERUSER_PASSWORD', valueFrom: 'arn:su' },
        { name: 'DATABASE_PASSWORD', valueFrom: 'arn:new' },
      ],
    });
    expect(changed.containerDefinitions?.[1]?.secrets).toEqual([
      { name: 'DATABASE_PASSWORD', valueFrom: 'arn:new' },
      { name: 'DATABASE_USER', valueFrom: 'arn:user' },
      { name: 'DJANGO_SUPERUSER_PASSWORD', valueFrom: 'arn:su' },
    ]);
    expect(base.containerDefinitions?.[1]?.secrets?.[0]).toEqual({ name: 'DATABASE_PASSWORD', valueFrom: 'arn:old' });
    expect(changed.containerDefinitions?.[0]?.secrets).toBeUndefined();
  });
});

describe('a secret reference over a plain variable of the same name', () => {
  it('replaces it: the plain value is dropped from the new revision, the rest of the environment kept in order', () => {
    const polluted = withContainerChanges(definition, 'migration', {
      environment: [
        { name: 'DJANGO_SETTINGS_MODULE', value: 'settings_production' },
        { name: 'DJANGO_SUPERUSER_PASSWORD', value: 'plain-pw' },
        { name: 'AWS_REGION', value: 'us-east-1' },
      ],
    });
    const changed = withContainerChanges(polluted, 'migration', {
      image: 'app:new',
      secrets: [{ name: 'DJANGO_SUPERUSER_PASSWORD', valueFrom: 'arn:su' }],
    });
    const container = changed.containerDefinitions?.[1];
    expect(container?.environment?.map((pair) => pair.name)).toEqual([
      'DATABASE_NAME',
      'DJANGO_SETTINGS_MODULE',
      'AWS_REGION',
    ]);
    expect(container?.secrets).toEqual([{ name: 'DJANGO_SUPERUSER_PASSWORD', valueFrom: 'arn:su' }]);
    expect(JSON.stringify(changed)).not.toContain('plain-pw');
    expect(polluted.containerDefinitions?.[1]?.environment).toHaveLength(4); // the base is not changed
  });
});

describe('references', () => {
  it('accepts family, family:revision and ARNs only', () => {
    expect(isTaskDefinitionRef('web')).toBe(true);
    expect(isTaskDefinitionRef('web:12')).toBe(true);
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:12';
    expect(isTaskDefinitionRef(arn)).toBe(true);
    expect(isTaskDefinitionRef('web:0')).toBe(false);
    expect(isTaskDefinitionRef('a b')).toBe(false);
  });
  it('splits family and revision out of ARNs', () => {
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/web:12';
    expect(shortTaskDefinition(arn)).toBe('web:12');
    expect(revisionOf(arn)).toBe(12);
    expect(familyOf(arn)).toBe('web');
    expect(revisionOf('web')).toBeUndefined();
  });
});
