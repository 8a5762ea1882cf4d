import { logGroupNotFound, logStreamNotFound } from '../core/errors.js';

/** CloudWatch Logs groups, streams and events, and the paging rules of GetLogEvents / FilterLogEvents. */

export interface LogEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  /** Global write order, a tie-breaker for events with the same timestamp. */
  seq: number;
}

export interface LogStream {
  name: string;
  createdAt: number;
  events: LogEvent[];
}

export interface LogGroup {
  name: string;
  createdAt: number;
  retentionInDays?: number;
  streams: Map<string, LogStream>;
}

/** Bytes an event counts for in a 1 MB page (AWS: UTF-8 message length + 26). */
const eventSize = (event: LogEvent) => Buffer.byteLength(event.message, 'utf8') + 26;
const PAGE_BYTES = 1_048_576;

export class LogStore {
  readonly groups = new Map<string, LogGroup>();
  private seq = 0;

  constructor(private readonly onWrite?: (group: string, stream: string, count: number, last: string) => void) {}

  createGroup(name: string, now: number): LogGroup {
    const group: LogGroup = { name, createdAt: now, streams: new Map() };
    this.groups.set(name, group);
    return group;
  }

  group(name: string): LogGroup {
    const group = this.groups.get(name);
    if (!group) throw logGroupNotFound();
    return group;
  }

  stream(groupName: string, streamName: string): LogStream {
    const stream = this.group(groupName).streams.get(streamName);
    if (!stream) throw logStreamNotFound();
    return stream;
  }

  /** What the awslogs driver does: the stream is created on first use (the group too, with awslogs-create-group). */
  ensureStream(groupName: string, streamName: string, now: number): LogStream {
    const group = this.groups.get(groupName) ?? this.createGroup(groupName, now);
    let stream = group.streams.get(streamName);
    if (!stream) {
      stream = { name: streamName, createdAt: now, events: [] };
      group.streams.set(streamName, stream);
    }
    return stream;
  }

  write(groupName: string, streamName: string, messages: string[], now: number): void {
    if (messages.length === 0) return;
    const stream = this.ensureStream(groupName, streamName, now);
    for (const message of messages) {
      stream.events.push({ timestamp: now, message, ingestionTime: now, seq: this.seq++ });
    }
    this.onWrite?.(groupName, streamName, messages.length, messages[messages.length - 1]);
  }

  append(
    groupName: string,
    streamName: string,
    events: Array<{ timestamp: number; message: string }>,
    now: number,
  ): void {
    const stream = this.stream(groupName, streamName);
    for (const event of events) stream.events.push({ ...event, ingestionTime: now, seq: this.seq++ });
    stream.events.sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
    if (events.length > 0) this.onWrite?.(groupName, streamName, events.length, events[events.length - 1].message);
  }
}

export interface GetEventsQuery {
  startFromHead?: boolean;
  startTime?: number;
  endTime?: number;
  nextToken?: string;
  limit?: number;
}

export interface GetEventsPage {
  events: LogEvent[];
  nextForwardToken: string;
  nextBackwardToken: string;
}

const token = (direction: 'f' | 'b', position: number) => `${direction}/${String(position).padStart(56, '0')}`;

export function parseToken(value: string): { direction: 'f' | 'b'; position: number } | undefined {
  const match = /^([fb])\/(\d{1,56})$/.exec(value);
  return match ? { direction: match[1] as 'f' | 'b', position: Number(match[2]) } : undefined;
}

/**
 * GetLogEvents paging: positions index the stream, so tokens stay valid while events are appended. Reading forward
 * at the end returns the very token that was passed, which is how clients know they have caught up.
 */
export function getEventsPage(
  events: LogEvent[],
  query: GetEventsQuery,
  startPosition?: { direction: 'f' | 'b'; position: number },
): GetEventsPage {
  const limit = Math.min(query.limit ?? 10000, 10000);
  const inRange = (e: LogEvent) =>
    (query.startTime === undefined || e.timestamp >= query.startTime) &&
    (query.endTime === undefined || e.timestamp <= query.endTime);
  const forward = startPosition ? startPosition.direction === 'f' : query.startFromHead === true;
  const picked: number[] = [];
  let bytes = 0;
  const take = (i: number) => {
    const size = eventSize(events[i]);
    if (picked.length >= limit || bytes + size > PAGE_BYTES) return false;
    picked.push(i);
    bytes += size;
    return true;
  };
  if (forward) {
    let i = startPosition?.position ?? 0;
    for (; i < events.length; i++) {
      if (inRange(events[i]) && !take(i)) break;
    }
    const begin = startPosition?.position ?? 0;
    const end = picked.length > 0 ? picked[picked.length - 1] + 1 : Math.max(begin, i);
    return {
      events: picked.map((p) => events[p]),
      nextForwardToken: picked.length > 0 || !startPosition ? token('f', end) : query.nextToken!,
      nextBackwardToken: token('b', picked.length > 0 ? picked[0] : begin),
    };
  }
  const from = startPosition?.position ?? events.length;
  for (let i = Math.min(from, events.length) - 1; i >= 0; i--) {
    if (inRange(events[i]) && !take(i)) break;
  }
  picked.reverse();
  const first = picked.length > 0 ? picked[0] : 0;
  return {
    events: picked.map((p) => events[p]),
    nextForwardToken: token('f', picked.length > 0 ? picked[picked.length - 1] + 1 : from),
    nextBackwardToken: picked.length > 0 || !startPosition ? token('b', first) : query.nextToken!,
  };
}

export interface FilterQuery {
  streams: LogStream[];
  startTime?: number;
  endTime?: number;
  filterPattern?: string;
  limit?: number;
  nextToken?: string;
}

export interface FilteredEvent extends LogEvent {
  logStreamName: string;
}

/** A small subset of the filter pattern syntax: space-separated terms (optionally quoted) that must all appear. */
function matchesPattern(message: string, pattern: string | undefined): boolean {
  if (!pattern || pattern.trim() === '') return true;
  const terms = pattern.match(/"[^"]*"|\S+/g) ?? [];
  return terms.every((term) => message.includes(term.startsWith('"') ? term.slice(1, -1) : term));
}

/** FilterLogEvents: events of several streams merged by time; the token names the last event returned. */
export function filterEvents(query: FilterQuery): { events: FilteredEvent[]; nextToken?: string } {
  const limit = Math.min(query.limit ?? 10000, 10000);
  let after: { timestamp: number; seq: number } | undefined;
  if (query.nextToken) {
    const [timestamp, seq] = Buffer.from(query.nextToken, 'base64url').toString('utf8').split(':').map(Number);
    after = { timestamp, seq };
  }
  const all: FilteredEvent[] = [];
  for (const stream of query.streams) {
    for (const event of stream.events) {
      if (query.startTime !== undefined && event.timestamp < query.startTime) continue;
      if (query.endTime !== undefined && event.timestamp > query.endTime) continue;
      if (
        after &&
        (event.timestamp < after.timestamp || (event.timestamp === after.timestamp && event.seq <= after.seq))
      )
        continue;
      if (!matchesPattern(event.message, query.filterPattern)) continue;
      all.push({ ...event, logStreamName: stream.name });
    }
  }
  all.sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
  const events: FilteredEvent[] = [];
  let bytes = 0;
  for (const event of all) {
    const size = eventSize(event);
    if (events.length >= limit || bytes + size > PAGE_BYTES) break;
    events.push(event);
    bytes += size;
  }
  if (events.length === all.length) return { events };
  const last = events[events.length - 1];
  return { events, nextToken: Buffer.from(`${last.timestamp}:${last.seq}`).toString('base64url') };
}
