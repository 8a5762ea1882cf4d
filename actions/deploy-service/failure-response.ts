import type { WatchStatus } from '../shared/deployment-watch.js';

/** What `on-failure` means for a given outcome. Pure. */
export type FailureResponse =
  | { action: 'none'; note?: string }
  /** The circuit breaker is already rolling back: wait for that deployment. */
  | { action: 'wait-for-ecs-rollback' }
  /** Put the service back on `to` ourselves. */
  | { action: 'roll-back'; to: string };

export function failureResponse(
  outcome: { status: WatchStatus; replacedBy?: string },
  onFailure: 'fail' | 'rollback',
  previousTaskDefinition: string | undefined,
  deployedTaskDefinition: string | undefined,
): FailureResponse {
  if (outcome.status === 'COMPLETED' || onFailure === 'fail') return { action: 'none' };
  if (outcome.status === 'ROLLED_BACK') return { action: 'wait-for-ecs-rollback' };
  if (outcome.replacedBy) {
    return {
      action: 'none',
      note: 'not rolling back: another deployment replaced ours and rolling back would undo it',
    };
  }
  if (!previousTaskDefinition)
    return { action: 'none', note: 'not rolling back: the previous task definition is unknown' };
  if (previousTaskDefinition === deployedTaskDefinition) {
    return { action: 'none', note: 'not rolling back: the service already runs the previous task definition' };
  }
  return { action: 'roll-back', to: previousTaskDefinition };
}
