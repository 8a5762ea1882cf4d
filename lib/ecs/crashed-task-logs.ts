import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { awslogsLocation, lastLogLines } from '../logs/log-tail.js';
import { chooseContainer, type TaskDefinitionJson } from './task-definitions.js';
import type { FailedTaskLogs } from './watch-result.js';

/** How many of a crashed task's last log lines a failure shows. */
const FAILED_TASK_LOG_LINES = 30;

/**
 * The last log lines of a task that stopped, read from its container's awslogs stream (the container the deploy
 * named, or the task definition's main one); undefined when the container has no awslogs stream or it is empty.
 */
export async function crashedTaskLogs(
  logs: CloudWatchLogsClient,
  definition: TaskDefinitionJson,
  containerInput: string | undefined,
  taskId: string,
): Promise<FailedTaskLogs | undefined> {
  const container = chooseContainer(definition, containerInput);
  const location = awslogsLocation(container, taskId);
  if (!location) return undefined;
  const lines = await lastLogLines(logs, location.group, location.stream, FAILED_TASK_LOG_LINES);
  if (lines.length === 0) return undefined;
  return { taskId, container: container.name ?? '?', group: location.group, stream: location.stream, lines };
}
