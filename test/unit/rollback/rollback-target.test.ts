import {
  choosePrevious,
  decideAction,
  explicitTarget,
  failedRevisions,
  goodRevisionStack,
  newestActiveAlternative,
  parseRollbackTo,
  refusalFor,
  type DeploymentRecord,
  type FamilyRevision,
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

const active = (...revisions: number[]): FamilyRevision[] =>
  revisions.map((revision) => ({ taskDefinitionArn: web(revision), revision }));

describe('parseRollbackTo', () => {
  it('reads previous (also when empty), a revision, family:revision and an ARN', () => {
    expect(parseRollbackTo('')).toEqual({ kind: 'previous' });
    expect(parseRollbackTo('previous')).toEqual({ kind: 'previous' });
    expect(parseRollbackTo('42')).toEqual({ kind: 'revision', revision: 42 });
    expect(parseRollbackTo('web:42')).toEqual({ kind: 'family-revision', family: 'web', revision: 42 });
    expect(parseRollbackTo(web(7))).toEqual({ kind: 'arn', arn: web(7) });
  });
  it.each(['web', '0', '-1', 'web:0', 'web:x', 'latest', 'arn:aws:ecs:us-east-1:1:task-definition/web:2'])(
    'refuses %p with a one-line message naming the input',
    (text) => {
      expect(() => parseRollbackTo(text)).toThrow(/^Input 'to' must be 'previous', a revision number/);
    },
  );
});

describe('goodRevisionStack', () => {
  it('keeps successful deployments and ignores failed, stopped and rolled-back ones', () => {
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'ROLLBACK_SUCCESSFUL'),
      deployment(4, 'STOPPED'),
    ];
    expect(goodRevisionStack(history).map((r) => r.taskDefinitionArn)).toEqual([web(1), web(2)]);
  });
  it('pops what a return to an earlier revision undid, whatever order the history came in', () => {
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
    ];
    expect(goodRevisionStack([...history].reverse()).map((r) => r.taskDefinitionArn)).toEqual([web(1), web(2)]);
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

describe('choosePrevious', () => {
  it('after a completed deploy goes back to the revision before it', () => {
    const history = [deployment(1, 'SUCCESSFUL'), deployment(2, 'SUCCESSFUL'), deployment(3, 'SUCCESSFUL')];
    const choice = choosePrevious({ currentTaskDefinitionArn: web(3), history, activeRevisions: active(1, 2, 3) });
    expect(choice).toMatchObject({ kind: 'target', taskDefinitionArn: web(2), source: 'history' });
  });

  it('skips a newer revision whose deployment the circuit breaker rolled back, and says so', () => {
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'ROLLBACK_SUCCESSFUL', { sourceTaskDefinitionArns: [web(2)] }),
      deployment(4, 'SUCCESSFUL'),
    ];
    const choice = choosePrevious({ currentTaskDefinitionArn: web(4), history, activeRevisions: active(1, 2, 3, 4) });
    expect(choice).toMatchObject({ kind: 'target', taskDefinitionArn: web(2) });
    expect(choice.kind === 'target' && choice.reason).toMatch(/skipped web:3 \(ROLLBACK_SUCCESSFUL\)/);
  });

  it('is the current revision (NOOP) when ECS already rolled the newest deployment back', () => {
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'ROLLBACK_SUCCESSFUL', { sourceTaskDefinitionArns: [web(2)] }),
    ];
    const choice = choosePrevious({ currentTaskDefinitionArn: web(2), history, activeRevisions: active(1, 2, 3) });
    expect(choice).toMatchObject({ kind: 'target', taskDefinitionArn: web(2), source: 'current' });
    expect(choice.kind === 'target' && choice.reason).toMatch(/ECS already put the service back on web:2/);
  });

  it('is the current revision (NOOP) also if ECS recorded its rollback as a deployment of its own', () => {
    // The Developer Guide keeps a rollback on the rolled-back record; this is the other shape, guarded against.
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'ROLLBACK_SUCCESSFUL', { sourceTaskDefinitionArns: [web(2)] }),
      deployment(2, 'SUCCESSFUL'),
    ];
    const choice = choosePrevious({ currentTaskDefinitionArn: web(2), history, activeRevisions: active(1, 2, 3) });
    expect(choice).toMatchObject({ kind: 'target', taskDefinitionArn: web(2), source: 'current' });
    expect(choice.kind === 'target' && choice.reason).toMatch(/web:3\) is ROLLBACK_SUCCESSFUL: ECS already put/);
  });

  it('says ECS is putting the service back while its rollback is still in progress', () => {
    const history = [
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'ROLLBACK_IN_PROGRESS', { sourceTaskDefinitionArns: [web(2)] }),
    ];
    const choice = choosePrevious({ currentTaskDefinitionArn: web(2), history, activeRevisions: active(2, 3) });
    expect(choice).toMatchObject({ kind: 'target', taskDefinitionArn: web(2), source: 'current' });
    expect(choice.kind === 'target' && choice.reason).toMatch(/ECS is putting the service back on web:2/);
    expect(choice.kind === 'target' && choice.redeploy).toBeFalsy();
  });

  it("deploys the last good revision again when ECS's own rollback to it failed", () => {
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'ROLLBACK_FAILED', { sourceTaskDefinitionArns: [web(2)] }),
    ];
    const choice = choosePrevious({ currentTaskDefinitionArn: web(2), history, activeRevisions: active(1, 2, 3) });
    expect(choice).toMatchObject({ kind: 'target', taskDefinitionArn: web(2), source: 'current', redeploy: true });
    expect(choice.kind === 'target' && choice.reason).toMatch(/ECS could not put the service back on web:2/);
  });

  it('goes back past a rolled-back deployment whose source is not what runs now', () => {
    // The service still runs :3 (ECS's rollback never took), so :2, the last good one, is the target.
    const history = [
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'ROLLBACK_FAILED', { sourceTaskDefinitionArns: [web(2)] }),
    ];
    const choice = choosePrevious({ currentTaskDefinitionArn: web(3), history, activeRevisions: active(2, 3) });
    expect(choice).toMatchObject({ kind: 'target', taskDefinitionArn: web(2), source: 'history' });
  });

  it('walks back one more step when run again after a rollback, instead of toggling to the bad revision', () => {
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
    ];
    const choice = choosePrevious({ currentTaskDefinitionArn: web(2), history, activeRevisions: active(1, 2, 3) });
    expect(choice).toMatchObject({ kind: 'target', taskDefinitionArn: web(1) });
  });

  it('with a deployment in flight, is the last good revision it is replacing', () => {
    const history = [deployment(1, 'SUCCESSFUL'), deployment(2, 'SUCCESSFUL'), deployment(5, 'IN_PROGRESS')];
    const choice = choosePrevious({ currentTaskDefinitionArn: web(5), history, activeRevisions: active(1, 2, 5) });
    expect(choice).toMatchObject({ kind: 'target', taskDefinitionArn: web(2), source: 'history' });
  });

  it('ignores revisions of another family in the history', () => {
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(td('other', 9), 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
    ];
    const choice = choosePrevious({ currentTaskDefinitionArn: web(2), history, activeRevisions: active(1, 2) });
    expect(choice).toMatchObject({ kind: 'target', taskDefinitionArn: web(1) });
  });

  it('falls back to the newest ACTIVE older revision when the history is missing', () => {
    const choice = choosePrevious({
      currentTaskDefinitionArn: web(7),
      history: undefined,
      activeRevisions: active(2, 5, 7, 8),
    });
    expect(choice).toMatchObject({ kind: 'target', taskDefinitionArn: web(5), source: 'revisions' });
    expect(choice.kind === 'target' && choice.reason).toMatch(
      /history could not be read; web:5 is the newest ACTIVE revision of web older than web:7/,
    );
  });

  it('falls back across a gap, skipping revisions whose deployments were rolled back (INACTIVE ones are not listed)', () => {
    // Only the current deployment and a failed one are in the history (older ones aged out); web:5 was deregistered.
    const history = [deployment(6, 'ROLLBACK_SUCCESSFUL'), deployment(7, 'SUCCESSFUL')];
    const choice = choosePrevious({ currentTaskDefinitionArn: web(7), history, activeRevisions: active(3, 4, 6, 7) });
    expect(choice).toMatchObject({ kind: 'target', taskDefinitionArn: web(4), source: 'revisions' });
    expect(choice.kind === 'target' && choice.reason).toMatch(
      /skipped web:6 \(its deployment was ROLLBACK_SUCCESSFUL\)/,
    );
  });

  it('refuses when there is nothing older to go back to', () => {
    const choice = choosePrevious({
      currentTaskDefinitionArn: web(1),
      history: [deployment(1, 'SUCCESSFUL')],
      activeRevisions: active(1),
    });
    expect(choice).toEqual({
      kind: 'refuse',
      message: expect.stringMatching(/^Nothing to roll back to: no earlier successful deployment of web/),
    });
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
      refusalFor({ taskDefinitionArn: web(3), family: 'web', status: 'ACTIVE' }, web(5), active(3, 5)),
    ).toBeUndefined();
  });
  it('refuses an INACTIVE revision and names the newest ACTIVE alternative', () => {
    expect(refusalFor({ taskDefinitionArn: web(4), family: 'web', status: 'INACTIVE' }, web(6), active(2, 3, 6))).toBe(
      "web:4 is INACTIVE (deregistered): ECS cannot deploy it. The newest ACTIVE alternative is web:3: set input 'to' to 3",
    );
  });
  it('refuses another family', () => {
    expect(refusalFor({ taskDefinitionArn: td('x', 1), family: 'x', status: 'ACTIVE' }, web(6), [])).toMatch(
      /another family/,
    );
  });
});

describe('newestActiveAlternative', () => {
  it('is the newest ACTIVE revision older than the wanted one, else the newest other than the current', () => {
    expect(newestActiveAlternative(web(4), web(6), active(1, 3, 5, 6))).toBe(web(3));
    expect(newestActiveAlternative(web(1), web(6), active(5, 6))).toBe(web(5));
    expect(newestActiveAlternative(web(1), web(6), active(6))).toBeUndefined();
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
