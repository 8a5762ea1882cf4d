import type { HealthVerdict } from '../../lib/ecs/health-check.js';
import { failed, ok, type CheckItem } from './checklist.js';

/** The live service answers 200 on its health path. Pure: the answer comes in. */
export function checkHealth(url: string, verdict: HealthVerdict, targetGroup: string): CheckItem {
  const title = `GET ${url} answers 200`;
  if (verdict.healthy) return ok('Health', title, verdict.detail.split(' ')[0]);
  return failed(
    'Health',
    title,
    `answered ${verdict.detail}`,
    `Open the service's logs (aws logs tail /ecs/startupwebapp-service --since 15m) and the target health ` +
      `(aws elbv2 describe-target-health --target-group-arn <arn of ${targetGroup}>); a first deploy needs a ` +
      `service that already answers 200 on this path, and the URL must be the one the ALB serves.`,
  );
}
