import {
  decideAction,
  explicitTarget,
  failedRevisions,
  parseRollbackTo,
  refusalFor,
  type DeploymentRecord,
} from '../../../actions/rollback/rollback-target.js';

const td = (family: string, revision: number) =>
  `arn:aws:ecs:us-east-1:123456789012:task-definition/${family}:${revision}`;
const web = (revision: number) => td('web', revision);

let clock = 0;
function deployment(
  revision: number | string,
  status: string,
  extra: Partial<DeploymentRecord> = {},
): DeploymentRecord {
  clock += 1;
  const arn = typeof revision === 'number' ? web(revision) : revision;
  return {
    serviceDeploymentArn: `arn:aws:ecs:us-east-1:123456789012:service-deployment/c/s/d${clock}`,
    status,
    createdAt: new Date(Date.UTC(2026, 10, 1, 0, clock)),
    taskDefinitionArn: arn,
    ...extra,
  };
}

describe('parseRollbackTo', () => {
  it('reads previous (also when empty), a revision, family:revision and an ARN', () => {
    expect(parseRollbackTo('')).toEqual({ kind: 'previous' });
    expect(parseRollbackTo('previous')).toEqual({ kind: 'previous' });
    expect(parseRollbackTo('42')).toEqual({ kind: 'revision', revision: 42 });
    expect(parseRollbackTo('web:42')).toEqual({ kind: 'family-revision', family: 'web', revision: 42 });
    expect(parseRollbackTo(web(7))).toEqual({ kind: 'arn', arn: web(7) });
  });
  it('reads -N, revisions back', () => {
    expect(parseRollbackTo('-1')).toEqual({ kind: 'back', back: 1 });
    expect(parseRollbackTo(' -12 ')).toEqual({ kind: 'back', back: 12 });
  });
  it.each([
    'web',
    '0',
    '-0',
    '-01',
    '- 1',
    '-1000',
    'web:0',
    'web:x',
    'latest',
    'arn:aws:ecs:us-east-1:1:task-definition/web:2',
  ])('refuses %p with a one-line message naming the input', (text) => {
    expect(() => parseRollbackTo(text)).toThrow(/^Input 'to' must be 'previous', -N \(revisions back/);
  });
});

describe('failedRevisions', () => {
  it('lists rolled-back revisions that never succeeded', () => {
    const history = [
      deployment(2, 'ROLLBACK_SUCCESSFUL'),
      deployment(3, 'ROLLBACK_FAILED'),
      deployment(3, 'SUCCESSFUL'),
    ];
    expect([...failedRevisions(history).keys()]).toEqual([web(2)]);
  });
});

describe('explicitTarget', () => {
  it('resolves a revision number in the service family, and family:revision or an ARN as given', () => {
    expect(explicitTarget({ kind: 'revision', revision: 42 }, web(50))).toBe('web:42');
    expect(explicitTarget({ kind: 'family-revision', family: 'web', revision: 3 }, web(50))).toBe('web:3');
    expect(explicitTarget({ kind: 'arn', arn: web(3) }, web(50))).toBe(web(3));
  });
  it('refuses another family before anything is looked up', () => {
    expect(() => explicitTarget({ kind: 'family-revision', family: 'worker', revision: 3 }, web(50))).toThrow(
      /^Input 'to' names worker:3, of family worker, but the service runs web:50: a rollback stays in family web/,
    );
    expect(() => explicitTarget({ kind: 'arn', arn: td('worker', 3) }, web(50))).toThrow(/of family worker/);
  });
});

describe('refusalFor', () => {
  it('accepts an ACTIVE revision of the family', () => {
    expect(
      refusalFor({ taskDefinitionArn: web(3), family: 'web', status: 'ACTIVE' }, web(5), undefined),
    ).toBeUndefined();
  });
  it('refuses an INACTIVE revision and names the older alternative', () => {
    expect(refusalFor({ taskDefinitionArn: web(4), family: 'web', status: 'INACTIVE' }, web(6), web(3))).toBe(
      "web:4 is INACTIVE (deregistered): ECS cannot deploy it. The newest ACTIVE alternative is web:3: set input 'to' to 3",
    );
  });
  it('refuses an INACTIVE revision without pointing forwards when nothing older qualifies', () => {
    expect(refusalFor({ taskDefinitionArn: web(4), family: 'web', status: 'INACTIVE' }, web(6), undefined)).toBe(
      'web:4 is INACTIVE (deregistered): ECS cannot deploy it, and web has no ACTIVE revision older than web:4 to roll back to (name another revision)',
    );
  });
  it('refuses another family', () => {
    expect(refusalFor({ taskDefinitionArn: td('x', 1), family: 'x', status: 'ACTIVE' }, web(6), undefined)).toMatch(
      /another family/,
    );
  });
});

describe('decideAction', () => {
  const inFlight = deployment(5, 'IN_PROGRESS', { sourceTaskDefinitionArns: [web(2)] });
  it('stops an in-flight deployment with a rollback when previous is what ECS would roll back to', () => {
    const action = decideAction({
      to: { kind: 'previous' },
      targetTaskDefinitionArn: web(2),
      currentTaskDefinitionArn: web(5),
      inFlight,
    });
    expect(action).toMatchObject({ kind: 'stop-deployment', serviceDeploymentArn: inFlight.serviceDeploymentArn });
  });
  it('updates the service when a chosen revision is not what ECS would roll back to', () => {
    expect(
      decideAction({
        to: { kind: 'revision', revision: 2 },
        targetTaskDefinitionArn: web(2),
        currentTaskDefinitionArn: web(5),
        inFlight,
      }),
    ).toMatchObject({ kind: 'update-service', taskDefinitionArn: web(2) });
    expect(
      decideAction({
        to: { kind: 'previous' },
        targetTaskDefinitionArn: web(1),
        currentTaskDefinitionArn: web(5),
        inFlight,
      }),
    ).toMatchObject({ kind: 'update-service', taskDefinitionArn: web(1) });
  });
  it('is a NOOP when the target is already running', () => {
    expect(
      decideAction({
        to: { kind: 'revision', revision: 5 },
        targetTaskDefinitionArn: web(5),
        currentTaskDefinitionArn: web(5),
      }),
    ).toEqual({ kind: 'noop', reason: 'the service already runs web:5' });
  });
  it('updates the service with no deployment in flight', () => {
    expect(
      decideAction({ to: { kind: 'previous' }, targetTaskDefinitionArn: web(4), currentTaskDefinitionArn: web(5) }),
    ).toMatchObject({ kind: 'update-service', taskDefinitionArn: web(4) });
  });
});

describe('decideAction, edge cases', () => {
  it("redeploys the current revision when asked to (ECS's rollback to it failed)", () => {
    expect(
      decideAction({
        to: { kind: 'previous' },
        targetTaskDefinitionArn: web(2),
        currentTaskDefinitionArn: web(2),
        redeploy: true,
      }),
    ).toEqual({
      kind: 'update-service',
      taskDefinitionArn: web(2),
      reason: "ECS's own rollback to web:2 failed; a new deployment of web:2 retries it",
    });
  });

  it('updates the service when the in-flight deployment replaced several revisions (ECS target unclear)', () => {
    const inFlight = deployment(5, 'IN_PROGRESS', { sourceTaskDefinitionArns: [web(2), web(3)] });
    expect(
      decideAction({
        to: { kind: 'previous' },
        targetTaskDefinitionArn: web(2),
        currentTaskDefinitionArn: web(5),
        inFlight,
      }),
    ).toMatchObject({ kind: 'update-service' });
  });
  it('is a NOOP, saying so, when a deployment of the target is already in progress', () => {
    const inFlight = deployment(5, 'IN_PROGRESS', { sourceTaskDefinitionArns: [web(2)] });
    const action = decideAction({
      to: { kind: 'revision', revision: 5 },
      targetTaskDefinitionArn: web(5),
      currentTaskDefinitionArn: web(5),
      inFlight,
    });
    expect(action.kind).toBe('noop');
    expect(action.reason).toMatch(/^the service already runs web:5; deployment d\d+ to it is already in progress$/);
  });
});
