import {
  DescribeLogGroupsCommand,
  GetLogEventsCommand,
  ResourceNotFoundException,
  type CloudWatchLogsClient,
  type OutputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';

/** What the suite reads from CloudWatch Logs: a stream's events, a page at a time. */

export interface LogPage {
  events?: OutputLogEvent[];
  nextForwardToken?: string;
}

export interface LogEventsRequest {
  group: string;
  stream: string;
  startFromHead: boolean;
  nextToken?: string;
  limit?: number;
}

/** One GetLogEvents page; undefined while the stream does not exist (ResourceNotFoundException). */
export async function getLogEvents(
  logs: CloudWatchLogsClient,
  request: LogEventsRequest,
  signal?: AbortSignal,
): Promise<LogPage | undefined> {
  try {
    return await logs.send(
      new GetLogEventsCommand({
        logGroupName: request.group,
        logStreamName: request.stream,
        startFromHead: request.startFromHead,
        nextToken: request.nextToken,
        limit: request.limit,
      }),
      signal ? { abortSignal: signal } : undefined,
    );
  } catch (error) {
    if (error instanceof ResourceNotFoundException || (error as Error)?.name === 'ResourceNotFoundException') {
      return undefined;
    }
    throw error;
  }
}

/** Whether a log group of that exact name exists (DescribeLogGroups by prefix: the exact name sorts first). */
export async function logGroupExists(logs: CloudWatchLogsClient, name: string): Promise<boolean> {
  const response = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 1 }));
  return response.logGroups?.[0]?.logGroupName === name;
}
