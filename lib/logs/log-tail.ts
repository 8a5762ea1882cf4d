import type { CloudWatchLogsClient, OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { now, poll } from '../runner/time.js';
import { getLogEvents, type LogPage } from './logs-api.js';

/** Following a container's awslogs stream: every event once, in order, none lost across pages or after the stop. */

export interface AwslogsLocation {
  group: string;
  stream: string;
  /** The `awslogs-region` option when the container logs to another region. */
  region?: string;
}

/**
 * Where the awslogs driver writes a container's output: `<prefix>/<container>/<taskId>` in the configured group.
 * Undefined when the container does not use awslogs or has no stream prefix (the stream name is then unknowable).
 */
export function awslogsLocation(container: ContainerDefinition, taskId: string): AwslogsLocation | undefined {
  const config = container.logConfiguration;
  if (config?.logDriver !== 'awslogs') return undefined;
  const group = config.options?.['awslogs-group'];
  const prefix = config.options?.['awslogs-stream-prefix'];
  if (!group || !prefix) return undefined;
  const region = config.options?.['awslogs-region'];
  return { group, stream: `${prefix}/${container.name}/${taskId}`, ...(region ? { region } : {}) };
}

/** The CloudWatch console page of a stream (the console double-encodes and writes '%' as '$'). */
export function logConsoleUrl(region: string, location: Pick<AwslogsLocation, 'group' | 'stream'>): string {
  const encode = (text: string) => encodeURIComponent(encodeURIComponent(text)).replace(/%/g, '$');
  return (
    `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}` +
    `#logsV2:log-groups/log-group/${encode(location.group)}/log-events/${encode(location.stream)}`
  );
}

export interface PageStep {
  /** Events to print, in the order GetLogEvents returned them (oldest first with startFromHead). */
  events: OutputLogEvent[];
  /** The token for the next request. */
  token: string | undefined;
  /** The same forward token came back: nothing more in the stream for now. */
  caughtUp: boolean;
}

/**
 * What one GetLogEvents page means. Events are never compared by text (migrations print identical lines);
 * a page is new exactly when its request token was new, and the stream is read to its end when the
 * forward token comes back unchanged. An empty page with a NEW token is not the end (AWS returns those).
 */
export function stepPage(requestToken: string | undefined, page: LogPage): PageStep {
  const next = page.nextForwardToken;
  return {
    events: page.events ?? [],
    token: next ?? requestToken,
    caughtUp: next === undefined || next === requestToken,
  };
}

export interface PollResult {
  /** Events printed by this poll. */
  events: number;
  caughtUp: boolean;
  /** False while the stream does not exist yet (ResourceNotFoundException: the container has not started). */
  streamExists: boolean;
}

export interface LogTailOptions {
  /** Called once per event, in order. */
  onEvent?: (event: OutputLogEvent) => void;
  /** How many recent messages to keep for annotations and summaries. */
  keepLast?: number;
}

/** Safety bound on pages read in one poll; the rest is read on the next poll. */
const MAX_PAGES_PER_POLL = 50;

export class LogTail {
  private token: string | undefined;
  private readonly recent: string[] = [];
  private readonly keepLast: number;
  printed = 0;

  constructor(
    private readonly logs: CloudWatchLogsClient,
    readonly location: AwslogsLocation,
    private readonly options: LogTailOptions = {},
  ) {
    this.keepLast = options.keepLast ?? 100;
  }

  /** Reads pages until the stream is caught up. Errors other than "stream not there yet" are thrown. */
  async poll(signal?: AbortSignal): Promise<PollResult> {
    let events = 0;
    for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
      const { group, stream } = this.location;
      const response = await getLogEvents(
        this.logs,
        { group, stream, startFromHead: true, nextToken: this.token },
        signal,
      );
      if (!response) return { events, caughtUp: true, streamExists: false };
      const step = stepPage(this.token, response);
      for (const event of step.events) this.accept(event);
      events += step.events.length;
      this.token = step.token;
      if (step.caughtUp) return { events, caughtUp: true, streamExists: true };
    }
    return { events, caughtUp: false, streamExists: true };
  }

  /**
   * The final drain after the task stopped: keep reading until `quietPolls` polls in a row find nothing new
   * (the awslogs driver and CloudWatch ingestion can deliver the last lines a little after STOPPED), at most `maxMs`.
   */
  async drain(options: { pollMs: number; quietPolls?: number; maxMs?: number; signal?: AbortSignal }): Promise<void> {
    const quietPolls = options.quietPolls ?? 2;
    const deadline = now() + (options.maxMs ?? 30_000);
    let quiet = 0;
    await poll(
      async () => {
        // a read that has not caught up goes on at once; only a caught-up one waits for the next poll
        let result;
        do {
          result = await this.poll(options.signal);
          quiet = result.caughtUp && result.events === 0 ? quiet + 1 : 0;
        } while (!result.caughtUp && now() < deadline && !options.signal?.aborted);
        return quiet >= quietPolls || undefined;
      },
      { every: options.pollMs, deadline, signal: options.signal },
    );
  }

  /** The last `n` messages read (at most `keepLast`). */
  lastLines(n: number): string[] {
    return this.recent.slice(-n);
  }

  private accept(event: OutputLogEvent): void {
    this.printed++;
    this.recent.push(trimNewline(event.message ?? ''));
    if (this.recent.length > this.keepLast) this.recent.splice(0, this.recent.length - this.keepLast);
    this.options.onEvent?.(event);
  }
}

/** The last `n` messages of a stream, oldest first; [] when the stream does not exist. */
export async function lastLogLines(
  logs: CloudWatchLogsClient,
  group: string,
  stream: string,
  n: number,
): Promise<string[]> {
  const response = await getLogEvents(logs, { group, stream, startFromHead: false, limit: n });
  return (response?.events ?? []).slice(-n).map((event) => trimNewline(event.message ?? ''));
}

function trimNewline(message: string): string {
  return message.replace(/\r?\n$/, '');
}
