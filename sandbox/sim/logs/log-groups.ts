import type { LogStore } from './log-store.js';

/**
 * What the awslogs driver checks before a container starts: its log group must exist, unless the task definition
 * lets it create one (`awslogs-create-group: "true"`, which needs logs:CreateLogGroup on the execution role).
 */

export function logGroupMissing(logs: LogStore, target: { group: string; createGroup?: boolean } | undefined): boolean {
  return target !== undefined && !target.createGroup && !logs.groups.has(target.group);
}

/** Fargate's stoppedReason for it, as printed by real tasks (see README.md). */
export function missingLogGroupReason(): string {
  return (
    'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: ' +
    'failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist. ' +
    ': exit status 1'
  );
}
