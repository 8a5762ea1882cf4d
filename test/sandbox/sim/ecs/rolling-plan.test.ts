import { planRollingStep } from '../../../../sandbox/sim/ecs/rolling-plan.js';

const tasks = (prefix: string, count: number, healthy: boolean) =>
  Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}`, healthy }));

describe('the rolling plan', () => {
  it('plans 100/200 rollouts: start the new tasks first, stop old ones only when new ones are healthy', () => {
    const base = { desiredCount: 2, minimumHealthyPercent: 100, maximumPercent: 200 };
    expect(planRollingStep({ ...base, primary: [], old: tasks('o', 2, true) })).toEqual({ launch: 2, stop: [] });
    expect(planRollingStep({ ...base, primary: tasks('n', 2, false), old: tasks('o', 2, true) })).toEqual({
      launch: 0,
      stop: [],
    });
    expect(planRollingStep({ ...base, primary: tasks('n', 2, true), old: tasks('o', 2, true) })).toEqual({
      launch: 0,
      stop: ['o0', 'o1'],
    });
  });

  it('plans 50/100 rollouts one task at a time, and stops unhealthy old tasks at once', () => {
    const base = { desiredCount: 2, minimumHealthyPercent: 50, maximumPercent: 100 };
    expect(planRollingStep({ ...base, primary: [], old: tasks('o', 2, true) })).toEqual({ launch: 1, stop: ['o0'] });
    expect(planRollingStep({ ...base, primary: tasks('n', 1, false), old: tasks('o', 1, true) })).toEqual({
      launch: 0,
      stop: [],
    });
    expect(planRollingStep({ ...base, primary: [], old: tasks('u', 2, false) })).toEqual({
      launch: 2,
      stop: ['u0', 'u1'],
    });
    expect(planRollingStep({ ...base, primary: [], old: tasks('o', 2, true), halted: true })).toEqual({
      launch: 0,
      stop: ['o0'],
    });
  });
});
