import { AwsError, invalidParameter } from '../core/errors.js';
import type { Json } from '../core/json.js';
import { pageAfter } from '../core/pagination.js';
import {
  filterEvents,
  getEventsPage,
  parseToken,
  type LogEvent,
  type LogGroup,
  type LogStore,
  type LogStream,
} from './log-store.js';
import type { Handler } from '../model.js';

/** The CloudWatch Logs operations (JSON 1.1, target prefix Logs_20140328). */

function groupName(input: Json): string {
  const value = input.logGroupName ?? input.logGroupIdentifier;
  if (typeof value !== 'string' || value === '') {
    throw invalidParameter(
      "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null",
    );
  }
  // logGroupIdentifier may be an ARN: arn:aws:logs:region:acct:log-group:NAME(:*)
  const match = /^arn:aws:logs:[^:]*:[^:]*:log-group:(.+?)(:\*)?$/.exec(value);
  return match ? match[1] : value;
}

/** The fields GetLogEvents answers for an event; FilterLogEvents adds the stream and an event id. */
function outputEvent(e: LogEvent): Json {
  return { timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime };
}

export function logsApi(store: LogStore, region: string, accountId: string): Record<string, Handler> {
  const groupArn = (name: string) => `arn:aws:logs:${region}:${accountId}:log-group:${name}`;
  const describeGroup = (g: LogGroup) => ({
    logGroupName: g.name,
    creationTime: g.createdAt,
    metricFilterCount: 0,
    arn: `${groupArn(g.name)}:*`,
    logGroupArn: groupArn(g.name),
    storedBytes: 0,
    logGroupClass: 'STANDARD',
    ...(g.retentionInDays ? { retentionInDays: g.retentionInDays } : {}),
  });
  const describeStream = (groupName: string, s: LogStream) => ({
    logStreamName: s.name,
    creationTime: s.createdAt,
    arn: `${groupArn(groupName)}:log-stream:${s.name}`,
    storedBytes: 0,
    ...(s.events.length > 0
      ? {
          firstEventTimestamp: s.events[0].timestamp,
          lastEventTimestamp: s.events[s.events.length - 1].timestamp,
          lastIngestionTime: s.events[s.events.length - 1].ingestionTime,
          uploadSequenceToken: String(s.events.length),
        }
      : {}),
  });

  return {
    CreateLogGroup(input) {
      const name = groupName(input);
      if (store.groups.has(name)) {
        throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
      }
      store.createGroup(name, Date.now());
      return {};
    },
    DeleteLogGroup(input) {
      const name = groupName(input);
      store.group(name);
      store.groups.delete(name);
      return {};
    },
    PutRetentionPolicy(input) {
      store.group(groupName(input)).retentionInDays = input.retentionInDays;
      return {};
    },
    CreateLogStream(input) {
      const group = store.group(groupName(input));
      if (group.streams.has(input.logStreamName)) {
        throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
      }
      store.ensureStream(group.name, input.logStreamName, Date.now());
      return {};
    },
    PutLogEvents(input) {
      store.append(groupName(input), input.logStreamName, input.logEvents ?? [], Date.now());
      return { nextSequenceToken: String(Date.now()) };
    },
    DescribeLogGroups(input) {
      const prefix: string = input.logGroupNamePrefix ?? '';
      const pattern: string | undefined = input.logGroupNamePattern;
      const groups = [...store.groups.values()]
        .filter((g) => g.name.startsWith(prefix) && (!pattern || g.name.includes(pattern)))
        .sort((a, b) => a.name.localeCompare(b.name));
      const { page, nextToken } = pageAfter(groups, input.nextToken, Math.min(input.limit ?? 50, 50));
      return { logGroups: page.map(describeGroup), ...(nextToken ? { nextToken } : {}) };
    },
    DescribeLogStreams(input) {
      const name = groupName(input);
      const group = store.group(name);
      const prefix: string = input.logStreamNamePrefix ?? '';
      if (prefix && input.orderBy === 'LastEventTime') {
        throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
      }
      const streams = [...group.streams.values()].filter((s) => s.name.startsWith(prefix));
      const lastEvent = (s: LogStream) => s.events[s.events.length - 1]?.timestamp ?? 0;
      streams.sort((a, b) =>
        input.orderBy === 'LastEventTime' ? lastEvent(a) - lastEvent(b) : a.name.localeCompare(b.name),
      );
      if (input.descending) streams.reverse();
      const { page, nextToken } = pageAfter(streams, input.nextToken, Math.min(input.limit ?? 50, 50));
      return { logStreams: page.map((s) => describeStream(name, s)), ...(nextToken ? { nextToken } : {}) };
    },
    GetLogEvents(input) {
      const stream = store.stream(groupName(input), input.logStreamName);
      if (input.limit !== undefined && (input.limit < 1 || input.limit > 10000)) {
        throw invalidParameter(
          "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
        );
      }
      let position: ReturnType<typeof parseToken>;
      if (input.nextToken !== undefined) {
        position = parseToken(input.nextToken);
        if (!position) throw invalidParameter('The specified nextToken is invalid.');
      }
      const page = getEventsPage(stream.events, input, position);
      return {
        events: page.events.map(outputEvent),
        nextForwardToken: page.nextForwardToken,
        nextBackwardToken: page.nextBackwardToken,
      };
    },
    FilterLogEvents(input) {
      const name = groupName(input);
      const group = store.group(name);
      let streams = [...group.streams.values()];
      if (Array.isArray(input.logStreamNames)) {
        if (input.logStreamNamePrefix) {
          throw invalidParameter('You cannot specify both logStreamNames and logStreamNamePrefix.');
        }
        streams = input.logStreamNames.map((n: string) => store.stream(name, n));
      } else if (input.logStreamNamePrefix) {
        streams = streams.filter((s) => s.name.startsWith(input.logStreamNamePrefix));
      }
      const result = filterEvents({ ...input, streams });
      return {
        events: result.events.map((e) => ({
          logStreamName: e.logStreamName,
          ...outputEvent(e),
          eventId: String(e.seq).padStart(56, '0'),
        })),
        searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: !result.nextToken })),
        ...(result.nextToken ? { nextToken: result.nextToken } : {}),
      };
    },
  };
}
