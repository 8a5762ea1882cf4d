import { drainSeconds } from './rollout-phases.js';
import { formatSeconds } from '../runner/time.js';
import type { WatchResult } from './watch-result.js';

/**
 * What a SERVING result means, in one sentence: `the new revision serves all traffic; the old tasks drain for about
 * 4m 55s more (deregistration delay 300 s, until 00:16:22 UTC), then ECS stops them and marks deployment … COMPLETED
 * (not waited for: wait-until serving).`
 */
export function servedText(watch: WatchResult, now = watch.finishedAt): string {
  const delay = watch.rollout ? drainSeconds(watch.rollout.groups) : undefined;
  const end = watch.drainEndsAt;
  const drain =
    end && delay !== undefined
      ? `the old tasks drain for about ${formatSeconds(Math.max(0, Math.ceil((end.getTime() - now.getTime()) / 1000)))} more ` +
        `(deregistration delay ${delay} s, until ${end.toISOString().slice(11, 19)} UTC)`
      : 'the old tasks drain';
  return (
    `the new revision serves all traffic; ${drain}, then ECS stops them and marks deployment ${watch.deploymentId} ` +
    'COMPLETED (not waited for: wait-until serving)'
  );
}
