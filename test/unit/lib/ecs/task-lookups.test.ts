import type { TargetHealth } from '../../../../lib/elb/target-groups.js';
import type { ServiceTask } from '../../../../lib/ecs/serving.js';
import {
  addressesToLookUp,
  oldAtFirstLook,
  presumedOurs,
  stoppedTasksToDescribe,
  type AddressBook,
} from '../../../../lib/ecs/task-lookups.js';

const OURS = 'ecs-svc/2222222222222222222';
const OLD = 'ecs-svc/1111111111111111111';
const target = (id: string, state: string): TargetHealth => ({ id, port: 8000, state });
const known = (...tasks: ServiceTask[]) => new Map(tasks.map((t) => [t.arn, t]));
const book = (fields: Partial<AddressBook>): AddressBook => ({
  known: new Map(),
  before: undefined,
  unexplained: new Set(),
  ...fields,
});

describe('oldAtFirstLook', () => {
  it('sets aside every target but the initial ones as old while none of our tasks runs', () => {
    const targets = [target('10.0.0.1', 'healthy'), target('10.0.0.2', 'unhealthy'), target('10.0.0.3', 'initial')];
    expect(oldAtFirstLook(targets, 0)).toEqual(new Set(['10.0.0.1', '10.0.0.2']));
  });

  it('cannot tell once our deployment runs tasks (they may be registered already)', () => {
    expect(oldAtFirstLook([target('10.0.0.1', 'healthy')], 1)).toBeUndefined();
  });
});

describe('addressesToLookUp', () => {
  const addresses = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'];

  it('looks nothing up during a rollout seen from its start: new addresses are presumed ours', () => {
    const seen = book({ before: new Set(['10.0.0.1', '10.0.0.2']) });
    expect(addressesToLookUp(addresses, seen, false)).toEqual([]);
    expect(presumedOurs(addresses, seen)).toEqual(new Set(['10.0.0.3', '10.0.0.4']));
  });

  it('looks up the presumed addresses before a SERVING verdict rests on them, and only those', () => {
    const seen = book({
      before: new Set(['10.0.0.1']),
      known: known({ arn: 'old-2', startedBy: OLD, ip: '10.0.0.2' }),
      unexplained: new Set(['10.0.0.4']),
    });
    expect(addressesToLookUp(addresses, seen, true)).toEqual(['10.0.0.3']);
  });

  it('looks up every unknown address when the first look could not tell, none twice', () => {
    const seen = book({ known: known({ arn: 'new-1', startedBy: OURS, ip: '10.0.0.3' }) });
    expect(addressesToLookUp([...addresses, '10.0.0.1'], seen, false)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.4']);
    expect(presumedOurs(addresses, seen)).toEqual(new Set());
  });
});

describe('stoppedTasksToDescribe', () => {
  const tasks = known(
    { arn: 'old-1', startedBy: OLD, ip: '10.0.0.1' },
    { arn: 'new-1', startedBy: OURS, ip: '10.0.0.3' },
    { arn: 'manual', startedBy: 'someone', ip: '10.0.0.9' },
  );

  it('describes tasks not seen yet unless already known to be another deployment’s', () => {
    const arns = ['old-1', 'new-1', 'new-2', 'manual', 'reported'];
    expect(stoppedTasksToDescribe(arns, new Set(['reported']), tasks, OURS)).toEqual(['new-1', 'new-2', 'manual']);
  });
});
