import { page, pageAfter } from '../../sandbox/sim/core/pagination.js';
import { breakerDecision, breakerThreshold } from '../../sandbox/sim/ecs/circuit-breaker.js';
import { planRollingStep } from '../../sandbox/sim/ecs/rolling-plan.js';
import { getEventsPage, parseToken, type LogEvent } from '../../sandbox/sim/logs/log-store.js';

const tasks = (prefix: string, count: number, healthy: boolean) =>
  Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}`, healthy }));

describe('the simulator decisions', () => {
  it('computes the circuit-breaker threshold as 50 % of desired, at least 3 and at most 200', () => {
    expect([1, 2, 6, 7, 10, 1000].map(breakerThreshold)).toEqual([3, 3, 3, 4, 5, 200]);
    expect(breakerDecision({ enable: true, rollback: true }, 3, 2)).toBe('fail-and-roll-back');
    expect(breakerDecision({ enable: true, rollback: false }, 3, 2)).toBe('fail');
    expect(breakerDecision({ enable: true }, 2, 2)).toBe('continue');
    expect(breakerDecision({ enable: false }, 50, 2)).toBe('continue');
  });

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

  it('pages GetLogEvents forward and returns the same token at the end', () => {
    const events: LogEvent[] = Array.from({ length: 5 }, (_, i) => ({
      timestamp: i,
      message: `m${i}`,
      ingestionTime: i,
      seq: i,
    }));
    const first = getEventsPage(events, { startFromHead: true, limit: 3 });
    expect(first.events.map((e) => e.message)).toEqual(['m0', 'm1', 'm2']);
    const second = getEventsPage(
      events,
      { limit: 3, nextToken: first.nextForwardToken },
      parseToken(first.nextForwardToken),
    );
    expect(second.events.map((e) => e.message)).toEqual(['m3', 'm4']);
    const end = getEventsPage(
      events,
      { limit: 3, nextToken: second.nextForwardToken },
      parseToken(second.nextForwardToken),
    );
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(second.nextForwardToken);
    const latest = getEventsPage(events, { limit: 2 });
    expect(latest.events.map((e) => e.message)).toEqual(['m3', 'm4']);
    const back = getEventsPage(
      events,
      { limit: 2, nextToken: latest.nextBackwardToken },
      parseToken(latest.nextBackwardToken),
    );
    expect(back.events.map((e) => e.message)).toEqual(['m1', 'm2']);
  });

  it('pages List* answers: each token leads to the next items, the last page has none', () => {
    const first = pageAfter(['a', 'b', 'c'], undefined, 2);
    expect(first.page).toEqual(['a', 'b']);
    const last = pageAfter(['a', 'b', 'c'], first.nextToken, 2);
    expect(last).toEqual({ page: ['c'] });
    expect(page(['a', 'b', 'c'], { maxResults: 5 }, 2)).toEqual(first);
    expect(page(['a', 'b', 'c'], {})).toEqual({ page: ['a', 'b', 'c'] });
  });
});
