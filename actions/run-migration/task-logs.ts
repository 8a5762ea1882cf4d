import type { AwsClientConfig } from '../../lib/aws/config.js';
import { logsClient } from '../../lib/aws/clients.js';
import {
  awslogsLocation,
  lastLogLines,
  logConsoleUrl,
  LogTail,
  type AwslogsLocation,
} from '../../lib/logs/log-tail.js';
import type { ContainerDefinitionJson } from '../../lib/ecs/task-definitions.js';
import { followingLogs, noAwslogs, taskLogEvent } from './log.js';

/** The lines shown in a failure's annotation and summary. */
const LAST_LINES = 50;

/** Where the container's logs go, and (with stream-logs) the tail that prints them as they come. */
export interface TaskLogs {
  location?: AwslogsLocation;
  /** CloudWatch console link to the stream. */
  url?: string;
  tail?: LogTail;
}

export function taskLogs(
  aws: AwsClientConfig,
  container: ContainerDefinitionJson,
  taskId: string,
  stream: boolean,
  onLine: (line: string) => void = taskLogEvent,
): TaskLogs {
  const location = awslogsLocation(container, taskId);
  if (!location) {
    noAwslogs(container.name);
    return {};
  }
  const url = logConsoleUrl(location.region ?? aws.region, location);
  if (!stream) return { location, url };
  followingLogs(location);
  const tail = new LogTail(logsClient({ ...aws, region: location.region ?? aws.region }), location, {
    keepLast: LAST_LINES,
    onEvent: (event) => onLine(event.message ?? ''),
  });
  return { location, url, tail };
}

/** The last lines: from the tail, or (with stream-logs off) fetched once, so a failure still shows them. */
export async function lastLines(aws: AwsClientConfig, logs: TaskLogs): Promise<string[]> {
  if (logs.tail) return logs.tail.lastLines(LAST_LINES);
  if (!logs.location) return [];
  const { group, stream, region } = logs.location;
  return lastLogLines(logsClient({ ...aws, region: region ?? aws.region }), group, stream, LAST_LINES).catch(() => []);
}
