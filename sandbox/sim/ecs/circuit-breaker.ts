/** The deployment circuit breaker: 50 % of the desired count, at least 3 and at most 200 failed tasks. */

export function breakerThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
}

export interface BreakerConfig {
  enable?: boolean;
  rollback?: boolean;
}

export type BreakerDecision = 'continue' | 'fail' | 'fail-and-roll-back';

export function breakerDecision(
  config: BreakerConfig | undefined,
  failedTasks: number,
  desiredCount: number,
): BreakerDecision {
  if (!config?.enable || failedTasks < breakerThreshold(desiredCount)) return 'continue';
  return config.rollback ? 'fail-and-roll-back' : 'fail';
}

export const BREAKER_REASON = 'ECS deployment circuit breaker: tasks failed to start.';
