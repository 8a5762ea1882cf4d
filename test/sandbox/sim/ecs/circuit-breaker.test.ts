import { breakerDecision, breakerThreshold } from '../../../../sandbox/sim/ecs/circuit-breaker.js';

describe('the circuit breaker', () => {
  it('computes the circuit-breaker threshold as 50 % of desired, at least 3 and at most 200', () => {
    expect([1, 2, 6, 7, 10, 1000].map(breakerThreshold)).toEqual([3, 3, 3, 4, 5, 200]);
    expect(breakerDecision({ enable: true, rollback: true }, 3, 2)).toBe('fail-and-roll-back');
    expect(breakerDecision({ enable: true, rollback: false }, 3, 2)).toBe('fail');
    expect(breakerDecision({ enable: true }, 2, 2)).toBe('continue');
    expect(breakerDecision({ enable: false }, 50, 2)).toBe('continue');
  });
});
