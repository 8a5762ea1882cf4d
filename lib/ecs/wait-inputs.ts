import type { Inputs } from '../runner/inputs.js';

/** The inputs deploy-service and rollback share for waiting on a deployment: same names, ranges and defaults. */
export interface WaitInputs {
  wait: boolean;
  /**
   * `completed`: until ECS marks the rollout COMPLETED (old tasks drained and stopped). `serving`: until the new
   * revision serves all traffic (healthy in every target group, old targets only draining).
   */
  waitUntil: WaitUntil;
  timeoutSeconds: number;
  pollSeconds: number;
  healthCheck?: { url: string; timeoutSeconds: number };
}

export type WaitUntil = 'completed' | 'serving';

export function readWaitInputs(inputs: Inputs): WaitInputs {
  const wait = inputs.boolean('wait', true);
  const waitUntil = inputs.choice('wait-until', ['completed', 'serving'] as const, 'completed');
  const timeoutMinutes = inputs.number('timeout-minutes', { min: 0.01, max: 720, default: 30 });
  const pollSeconds = inputs.number('poll-interval-seconds', { min: 0.05, max: 300, default: 5 });
  const healthUrl = inputs.optionalUrl('health-check-url', ['http', 'https']);
  const healthTimeout = inputs.number('health-check-timeout-seconds', { min: 1, max: 3600, default: 120 });
  return {
    wait,
    waitUntil,
    timeoutSeconds: timeoutMinutes * 60,
    pollSeconds,
    healthCheck: healthUrl ? { url: healthUrl, timeoutSeconds: healthTimeout } : undefined,
  };
}
