import { succeeded, type WatchStatus } from '../../lib/ecs/watch-result.js';

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
  if (succeeded(outcome.status) || onFailure === 'fail') return { action: 'none' };
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

/**
 * What to do when the run is cancelled while our deployment is under way (its outcome unknown). With `on-failure:
 * rollback`, put the previous revision back without waiting (the runner kills the step seconds after the signal);
 * otherwise leave it: ECS carries on, and the step says how to undo it.
 */
export function cancelResponse(
  onFailure: 'fail' | 'rollback',
  previousTaskDefinition: string | undefined,
  deployedTaskDefinition: string | undefined,
): { action: 'none' } | { action: 'roll-back'; to: string } {
  if (onFailure !== 'rollback' || !previousTaskDefinition || previousTaskDefinition === deployedTaskDefinition) {
    return { action: 'none' };
  }
  return { action: 'roll-back', to: previousTaskDefinition };
}
