import { pollHealth, type HealthCheckResult } from './health-check.js';
import { formatSeconds } from '../runner/time.js';

/**
 * The health-check step at the end of a watch (rolling or staged): once ECS says the new revision serves or completed,
 * poll `health-check-url` until healthy, telling each changed answer. Returns the reason when it never became healthy.
 */

export interface HealthCheckStepOptions {
  pollSeconds: number;
  signal?: AbortSignal;
  /** Tells one line of the step (the watch's timeline and progress). */
  say: (text: string) => void;
}

export interface HealthCheckStepResult {
  health: HealthCheckResult;
  /** Set when the URL was not healthy in time: the watch's failure reason. */
  failure?: string;
}

/**
 * `when`: what ECS said, as the line starting the check says it (`rollout completed`); `after`: the same as the
 * failure reason words it (`the rollout completed`), `when` if not given.
 */
export async function healthCheckStep(
  check: { url: string; timeoutSeconds: number },
  words: { when: string; after?: string },
  options: HealthCheckStepOptions,
): Promise<HealthCheckStepResult> {
  const within = formatSeconds(check.timeoutSeconds);
  options.say(`${words.when}; checking ${check.url} (up to ${within})`);
  const health = await pollHealth(check.url, {
    timeoutSeconds: check.timeoutSeconds,
    pollSeconds: options.pollSeconds,
    signal: options.signal,
    onChange: (verdict) => options.say(`${check.url} answered ${verdict.detail}`),
  });
  options.signal?.throwIfAborted();
  if (health.healthy) return { health };
  const after = words.after ?? words.when;
  return {
    health,
    failure: `${check.url} was not healthy within ${within} after ${after} (last answer: ${health.detail})`,
  };
}
