import type { ECSClient } from '@aws-sdk/client-ecs';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { AwsClientConfig } from '../aws/config.js';
import type { DeploymentCounts } from './deployment-state.js';
import type { TimelineEntry } from './deployment-timeline.js';
import type { HealthCheckResult } from './health-check.js';
import type { PhaseInput } from './rollout-phases.js';

/** What a wait on a deployment reports and returns: shared by the watcher, the waits around it and the actions. */

/** How a wait tells what it sees: a line and when it happened; and what it could not find out. */
export interface WaitReporter {
  onProgress?: (line: string, at: Date) => void;
  onWarning?: (message: string) => void;
}

export interface WatchClients {
  ecs: ECSClient;
  /** For the failed task's last log lines; without it they are not fetched. */
  logs?: CloudWatchLogsClient;
  /** To read the service's target groups (the ELB client is built on first use); without it they are not looked at. */
  elbConfig?: AwsClientConfig;
}

/** SERVING: `wait-until: serving` returned once the new revision served all traffic, before ECS's COMPLETED. */
export type WatchStatus = 'COMPLETED' | 'SERVING' | 'FAILED' | 'ROLLED_BACK' | 'TIMED_OUT' | 'HEALTH_CHECK_FAILED';

/** A successful end of the wait. */
export const succeeded = (status: string | undefined): boolean => status === 'COMPLETED' || status === 'SERVING';

export interface StoppedTaskReport {
  taskArn: string;
  taskId: string;
  at: Date;
  lines: string[];
  /** Exit code of the main container, when it has one. */
  exitCode?: number;
}

export interface FailedTaskLogs {
  taskId: string;
  container: string;
  group: string;
  stream: string;
  lines: string[];
}

export interface WatchResult {
  status: WatchStatus;
  /** One line: why it failed (undefined on success). */
  reason?: string;
  deploymentId: string;
  taskDefinition?: string;
  counts?: DeploymentCounts;
  /** The deployment ECS created to roll ours back (circuit breaker), when known. */
  rollbackDeploymentId?: string;
  /** Set when ours was replaced by a deployment that is not a rollback (someone else deployed): do not roll back. */
  replacedBy?: string;
  timeline: TimelineEntry[];
  stoppedTasks: StoppedTaskReport[];
  failedTaskLogs?: FailedTaskLogs;
  health?: HealthCheckResult;
  /** Where the rollout spent its time behind its target groups (when the service has any and they could be read). */
  rollout?: PhaseInput;
  /** SERVING: when the old targets are expected to finish draining (then ECS stops them and completes). */
  drainEndsAt?: Date;
  startedAt: Date;
  finishedAt: Date;
}
