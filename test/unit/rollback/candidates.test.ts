import { chooseBack, olderAlternative, ordinal, rollbackCandidates } from '../../../actions/rollback/candidates.js';
import type { DeploymentRecord, FamilyRevision } from '../../../actions/rollback/rollback-target.js';

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
  return {
    serviceDeploymentArn: `arn:aws:ecs:us-east-1:123456789012:service-deployment/c/s/d${clock}`,
    status,
    createdAt: new Date(Date.UTC(2026, 10, 1, 0, clock)),
    finishedAt: new Date(Date.UTC(2026, 10, 1, 0, clock, 30)),
    taskDefinitionArn: typeof revision === 'number' ? web(revision) : revision,
    ...extra,
  };
}
const active = (...revisions: number[]): FamilyRevision[] =>
  revisions.map((revision) => ({ taskDefinitionArn: web(revision), revision }));
const revisionsOf = (list: ReturnType<typeof rollbackCandidates>) =>
  list.candidates.map((c) => [c.back, Number(c.taskDefinitionArn.split(':').pop())]);

describe('rollbackCandidates', () => {
  it('lists successful deployments newest first, without the current revision and without rolled-back ones', () => {
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'ROLLBACK_SUCCESSFUL', { sourceTaskDefinitionArns: [web(2)] }),
      deployment(4, 'FAILED'),
      deployment(5, 'SUCCESSFUL'),
    ];
    const list = rollbackCandidates({
      currentTaskDefinitionArn: web(5),
      history,
      activeRevisions: active(1, 2, 3, 4, 5),
    });
    expect(revisionsOf(list)).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(list.candidates[0]).toMatchObject({ source: 'history', deploymentId: 'd2' });
    expect(list.candidates[0]!.deployedAt).toEqual(new Date(Date.UTC(2026, 10, 1, 0, clock - 3, 30)));
    expect(list.rolledBackFrom).toEqual([
      { taskDefinitionArn: web(3), why: expect.stringMatching(/was ROLLBACK_SUCCESSFUL$/) },
    ]);
  });

  it('never offers a revision the service was rolled back from by a return to an earlier one', () => {
    // :4 was rolled back to :2 (by this action, say); now :5 is deployed. :4 and :3 must not come back.
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'SUCCESSFUL'),
      deployment(4, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(5, 'SUCCESSFUL'),
    ];
    const list = rollbackCandidates({
      currentTaskDefinitionArn: web(5),
      history,
      activeRevisions: active(1, 2, 3, 4, 5),
    });
    expect(revisionsOf(list)).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect(list.rolledBackFrom.map((r) => r.taskDefinitionArn)).toEqual([web(4), web(3)]);
    expect(list.rolledBackFrom[0]!.why).toMatch(/^the service returned to web:2 from it/);
  });

  it('counts the running revision as -1 when ECS just rolled the newest deployment back onto it', () => {
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'ROLLBACK_SUCCESSFUL', { sourceTaskDefinitionArns: [web(2)] }),
    ];
    const list = rollbackCandidates({ currentTaskDefinitionArn: web(2), history, activeRevisions: active(1, 2, 3) });
    expect(list.candidates.map((c) => [c.back, c.source])).toEqual([
      [1, 'current'],
      [2, 'history'],
    ]);
    expect(list.candidates[1]!.taskDefinitionArn).toBe(web(1));
  });

  it('a revision deployed successfully again after a rollback is a candidate again', () => {
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'ROLLBACK_SUCCESSFUL', { sourceTaskDefinitionArns: [web(1)] }),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'SUCCESSFUL'),
    ];
    const list = rollbackCandidates({ currentTaskDefinitionArn: web(3), history, activeRevisions: active(1, 2, 3) });
    expect(revisionsOf(list)).toEqual([
      [1, 2],
      [2, 1],
    ]);
  });

  it('without history, the ACTIVE revisions older than the current one stand in, newest first', () => {
    const list = rollbackCandidates({
      currentTaskDefinitionArn: web(7),
      history: undefined,
      activeRevisions: active(2, 5, 7, 8),
    });
    expect(revisionsOf(list)).toEqual([
      [1, 5],
      [2, 2],
    ]);
    expect(list.fallbackReason).toBe('the service deployment history could not be read');
  });
});

describe('chooseBack', () => {
  const history = () => [
    deployment(1, 'SUCCESSFUL'),
    deployment(2, 'SUCCESSFUL'),
    deployment(3, 'ROLLBACK_SUCCESSFUL', { sourceTaskDefinitionArns: [web(2)] }),
    deployment(4, 'SUCCESSFUL'),
  ];

  it('-1 is previous, -2 the one before, past failed and rolled-back deployments', () => {
    const input = { currentTaskDefinitionArn: web(4), history: history(), activeRevisions: active(1, 2, 3, 4) };
    expect(chooseBack(input, 1)).toMatchObject({ kind: 'target', taskDefinitionArn: web(2), source: 'history' });
    const second = chooseBack(input, 2);
    expect(second).toMatchObject({ kind: 'target', taskDefinitionArn: web(1), source: 'history' });
    expect(second.kind === 'target' && second.reason).toMatch(
      /^candidate -2 among the service's successful deployments is d\d+ of web:1, completed 2026-11-01T.*; skipped web:3 \(ROLLBACK_SUCCESSFUL\)$/,
    );
  });

  it('refuses -N beyond the candidates, naming the input and listing them', () => {
    const input = { currentTaskDefinitionArn: web(4), history: history(), activeRevisions: active(1, 2, 3, 4) };
    expect(chooseBack(input, 3)).toEqual({
      kind: 'refuse',
      message:
        "Input 'to' is -3, but there are only 2 revisions to roll back to (-1 web:2, -2 web:1): choose one of those, or name a revision number",
    });
  });

  it('after ECS rolled back, -1 is the NOOP on the running revision and -2 goes one further', () => {
    const rolledBack = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'ROLLBACK_SUCCESSFUL', { sourceTaskDefinitionArns: [web(2)] }),
    ];
    const input = { currentTaskDefinitionArn: web(2), history: rolledBack, activeRevisions: active(1, 2, 3) };
    expect(chooseBack(input, 1)).toMatchObject({ taskDefinitionArn: web(2), source: 'current' });
    expect(chooseBack(input, 2)).toMatchObject({ taskDefinitionArn: web(1), source: 'history' });
    expect(chooseBack(input, 3)).toMatchObject({ kind: 'refuse' });
  });

  it('from the ACTIVE revisions, says which and what it skipped', () => {
    const input = {
      currentTaskDefinitionArn: web(7),
      history: [deployment(6, 'ROLLBACK_SUCCESSFUL'), deployment(7, 'SUCCESSFUL')],
      activeRevisions: active(3, 4, 6, 7),
    };
    const choice = chooseBack(input, 2);
    expect(choice).toMatchObject({ kind: 'target', taskDefinitionArn: web(3), source: 'revisions' });
    expect(choice.kind === 'target' && choice.reason).toBe(
      'no earlier successful deployment of web in the service deployment history (2 read); web:3 is the 2nd newest ACTIVE revision of web older than web:7; skipped web:6 (its deployment was ROLLBACK_SUCCESSFUL)',
    );
  });

  it('refuses when there is nothing at all', () => {
    const choice = chooseBack({ currentTaskDefinitionArn: web(1), history: [], activeRevisions: active(1) }, 1);
    expect(choice).toEqual({
      kind: 'refuse',
      message:
        'Nothing to roll back to: the service deployment history is empty, and web has no ACTIVE revision older than web:1 that did not fail',
    });
  });
});

it('ordinal', () => {
  expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal)).toEqual([
    '1st',
    '2nd',
    '3rd',
    '4th',
    '11th',
    '12th',
    '13th',
    '21st',
    '22nd',
    '101st',
  ]);
});

describe('olderAlternative', () => {
  it('is the newest ACTIVE revision older than the one asked for', () => {
    const input = { currentTaskDefinitionArn: web(4), history: [], activeRevisions: active(1, 3, 4) };
    expect(olderAlternative(web(99), input)).toBe(web(3));
    expect(olderAlternative(web(2), input)).toBe(web(1));
  });

  it('never the release rolled back from, the running one, or one ECS rolled back; nothing when none is older', () => {
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'SUCCESSFUL'),
      deployment(4, 'ROLLBACK_SUCCESSFUL', { sourceTaskDefinitionArns: [web(3)] }),
      deployment(2, 'SUCCESSFUL'), // rolled back from :3 to :2
    ];
    const input = { currentTaskDefinitionArn: web(2), history, activeRevisions: active(2, 3, 4) };
    expect(olderAlternative(web(1), input)).toBeUndefined();
    expect(olderAlternative(web(9), input)).toBeUndefined();
  });
});

describe('rollbackCandidates: the stack of good revisions', () => {
  it('keeps successful deployments and ignores failed, stopped and rolled-back ones', () => {
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'ROLLBACK_SUCCESSFUL'),
      deployment(4, 'STOPPED'),
    ];
    const list = rollbackCandidates({ currentTaskDefinitionArn: web(9), history, activeRevisions: [] });
    expect(list.candidates.map((c) => c.taskDefinitionArn)).toEqual([web(2), web(1)]);
  });
  it('pops what a return to an earlier revision undid, whatever order the history came in', () => {
    const history = [
      deployment(1, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
      deployment(3, 'SUCCESSFUL'),
      deployment(2, 'SUCCESSFUL'),
    ];
    const list = rollbackCandidates({
      currentTaskDefinitionArn: web(9),
      history: [...history].reverse(),
      activeRevisions: [],
    });
    expect(list.candidates.map((c) => c.taskDefinitionArn)).toEqual([web(2), web(1)]);
  });
});

describe('chooseBack(1): previous', () => {
  const choosePrevious = (input: Parameters<typeof chooseBack>[0]) => chooseBack(input, 1);
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
