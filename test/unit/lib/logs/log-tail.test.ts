import { mockClient } from 'aws-sdk-client-mock';
import {
  CloudWatchLogsClient,
  GetLogEventsCommand,
  ResourceNotFoundException,
  type GetLogEventsCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { awslogsLocation, lastLogLines, logConsoleUrl, LogTail, stepPage } from '../../../../lib/logs/log-tail.js';
import { onFakeClock } from '../../../support/fake-clock.js';

// The waits run on a fake clock: their pauses move it forward, nothing really sleeps.
onFakeClock();

const logsMock = mockClient(CloudWatchLogsClient);
const client = () =>
  new CloudWatchLogsClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const location = { group: '/ecs/startupwebapp-migrations', stream: 'ecs/migration/abc' };
const event = (message: string, timestamp = 1) => ({ message, timestamp });

beforeEach(() => logsMock.reset());

describe('awslogsLocation', () => {
  it('derives the stream from prefix, container name and task id', () => {
    const container = {
      name: 'migration',
      logConfiguration: {
        logDriver: 'awslogs' as const,
        options: {
          'awslogs-group': '/ecs/startupwebapp-migrations',
          'awslogs-stream-prefix': 'ecs',
          'awslogs-region': 'eu-west-1',
        },
      },
    };
    expect(awslogsLocation(container, 'abc')).toEqual({ ...location, region: 'eu-west-1' });
  });

  it('gives nothing for other drivers or without a stream prefix', () => {
    expect(awslogsLocation({ name: 'm', logConfiguration: { logDriver: 'json-file' } }, 'abc')).toBeUndefined();
    expect(
      awslogsLocation(
        { name: 'm', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g' } } },
        'abc',
      ),
    ).toBeUndefined();
  });
});

it('links to the stream in the CloudWatch console with its double encoding', () => {
  expect(logConsoleUrl('us-east-1', location)).toBe(
    'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups/log-group/$252Fecs$252Fstartupwebapp-migrations/log-events/ecs$252Fmigration$252Fabc',
  );
  // every reserved character is encoded twice, then '%' written as '$' (e.g. '#' -> '$2523', '$' -> '$2524')
  expect(logConsoleUrl('eu-west-1', { group: '/ecs/app#1', stream: 'a/b$[c]' })).toBe(
    'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Fecs$252Fapp$25231/log-events/a$252Fb$2524$255Bc$255D',
  );
});

describe('stepPage', () => {
  it('is caught up only when the same forward token comes back', () => {
    expect(stepPage(undefined, { events: [event('a')], nextForwardToken: 'f/1' })).toEqual({
      events: [event('a')],
      token: 'f/1',
      caughtUp: false,
    });
    expect(stepPage('f/1', { events: [], nextForwardToken: 'f/1' })).toEqual({
      events: [],
      token: 'f/1',
      caughtUp: true,
    });
  });

  it('does not take an empty page with a new token for the end of the stream', () => {
    expect(stepPage('f/1', { events: [], nextForwardToken: 'f/2' }).caughtUp).toBe(false);
  });

  it('keeps identical messages: events are never de-duplicated by text', () => {
    const step = stepPage(undefined, {
      events: [event('Applying x... OK'), event('Applying x... OK')],
      nextForwardToken: 'f/1',
    });
    expect(step.events).toHaveLength(2);
  });
});

/** A stream served in pages of `pageSize`, as GetLogEvents does with forward tokens. */
function serveStream(messages: string[], pageSize: number) {
  logsMock.on(GetLogEventsCommand).callsFake((input: GetLogEventsCommandInput) => {
    const from = input.nextToken ? Number(input.nextToken.slice(2)) : 0;
    const to = Math.min(messages.length, from + pageSize);
    return { events: messages.slice(from, to).map((m) => event(m)), nextForwardToken: `f/${to}` };
  });
}

describe('LogTail', () => {
  it('reads every event once, in order, across pages, and knows when it is caught up', async () => {
    const messages = Array.from({ length: 25 }, (_, i) => `line ${i + 1}`);
    serveStream(messages, 10);
    const seen: string[] = [];
    const tail = new LogTail(client(), location, { onEvent: (e) => seen.push(e.message ?? ''), keepLast: 5 });
    const first = await tail.poll();
    expect(first).toEqual({ events: 25, caughtUp: true, streamExists: true });
    expect(seen).toEqual(messages);
    expect(tail.lastLines(3)).toEqual(['line 23', 'line 24', 'line 25']);
    expect(tail.lastLines(50)).toHaveLength(5);
    messages.push('line 26');
    expect(await tail.poll()).toEqual({ events: 1, caughtUp: true, streamExists: true });
    expect(seen.slice(-2)).toEqual(['line 25', 'line 26']);
    const calls = logsMock.commandCalls(GetLogEventsCommand).map((c) => c.args[0].input);
    expect(calls.every((input) => input.startFromHead === true)).toBe(true);
    expect(calls[0]?.nextToken).toBeUndefined();
  });

  it('treats a missing stream as "not yet" and starts from the head once it exists', async () => {
    let exists = false;
    logsMock.on(GetLogEventsCommand).callsFake((input: GetLogEventsCommandInput) => {
      if (!exists)
        throw new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: {} });
      return input.nextToken
        ? { events: [], nextForwardToken: 'f/1' }
        : { events: [event('first')], nextForwardToken: 'f/1' };
    });
    const seen: string[] = [];
    const tail = new LogTail(client(), location, { onEvent: (e) => seen.push(e.message ?? '') });
    expect(await tail.poll()).toEqual({ events: 0, caughtUp: true, streamExists: false });
    exists = true;
    expect(await tail.poll()).toEqual({ events: 1, caughtUp: true, streamExists: true });
    expect(logsMock.commandCalls(GetLogEventsCommand)[1]?.args[0].input.nextToken).toBeUndefined();
    expect(seen).toEqual(['first']);
  });

  it('throws other errors and resumes from the last page read', async () => {
    const messages = ['a', 'b', 'c'];
    let failNext = false;
    logsMock.on(GetLogEventsCommand).callsFake((input: GetLogEventsCommandInput) => {
      if (failNext) {
        failNext = false;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      const from = input.nextToken ? Number(input.nextToken.slice(2)) : 0;
      const to = Math.min(messages.length, from + 2);
      return { events: messages.slice(from, to).map((m) => event(m)), nextForwardToken: `f/${to}` };
    });
    const tail = new LogTail(client(), location);
    await tail.poll();
    messages.push('d');
    failNext = true;
    await expect(tail.poll()).rejects.toThrow('Rate exceeded');
    await tail.poll();
    expect(tail.printed).toBe(4);
    expect(tail.lastLines(10)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('drains after the stop until the stream stays quiet, picking up late lines', async () => {
    const messages = ['a'];
    let calls = 0;
    logsMock.on(GetLogEventsCommand).callsFake((input: GetLogEventsCommandInput) => {
      calls++;
      if (calls === 3) messages.push('late');
      const from = input.nextToken ? Number(input.nextToken.slice(2)) : 0;
      return { events: messages.slice(from).map((m) => event(m)), nextForwardToken: `f/${messages.length}` };
    });
    const tail = new LogTail(client(), location);
    await tail.drain({ pollMs: 1, quietPolls: 2 });
    expect(tail.lastLines(10)).toEqual(['a', 'late']);
    expect(tail.printed).toBe(2);
  });
});

describe('lastLogLines', () => {
  it('asks for the newest n events and returns them oldest first', async () => {
    logsMock.on(GetLogEventsCommand).resolves({ events: [event('x\n'), event('y')] });
    expect(await lastLogLines(client(), 'g', 's', 2)).toEqual(['x', 'y']);
    expect(logsMock.commandCalls(GetLogEventsCommand)[0]?.args[0].input).toEqual({
      logGroupName: 'g',
      logStreamName: 's',
      startFromHead: false,
      limit: 2,
    });
  });

  it('returns nothing for a stream that does not exist', async () => {
    logsMock.on(GetLogEventsCommand).rejects(new ResourceNotFoundException({ message: 'no', $metadata: {} }));
    expect(await lastLogLines(client(), 'g', 's', 30)).toEqual([]);
  });
});
