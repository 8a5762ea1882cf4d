import type { ECSClient } from '@aws-sdk/client-ecs';
import { credentialsExpiry } from './clients.js';
import { formatSeconds, nowDate } from '../runner/time.js';

/** Temporary credentials (OIDC: one hour by default) that expire before the timeout end the wait early: say so now. */
export function credentialsWarning(expiry: Date | undefined, waitSeconds: number, now = nowDate()): string | undefined {
  if (!expiry) return undefined;
  const left = (expiry.getTime() - now.getTime()) / 1000;
  if (left >= waitSeconds) return undefined;
  return (
    `The AWS credentials expire at ${expiry.toISOString()} (in ${formatSeconds(Math.max(0, left))}), before the ` +
    `${formatSeconds(waitSeconds)} this step may wait: raise role-duration-seconds in configure-aws-credentials or lower timeout-minutes`
  );
}

/** The title the actions give the warning. */
export const CREDENTIALS_WARNING_TITLE = 'Credentials expire before the timeout';

/** The warning for a step that may wait (undefined when it does not wait, or the credentials outlast the wait). */
export async function credentialsExpiryWarning(
  ecs: ECSClient,
  inputs: { wait: boolean; timeoutSeconds: number; healthCheck?: { timeoutSeconds: number } },
): Promise<string | undefined> {
  if (!inputs.wait) return undefined;
  return credentialsWarning(
    await credentialsExpiry(ecs),
    inputs.timeoutSeconds + (inputs.healthCheck?.timeoutSeconds ?? 0),
  );
}
