/** What happened during a deployment, in order, for the job log and the job summary. */

export type TimelineKind = 'start' | 'event' | 'progress' | 'task' | 'health' | 'outcome';

export interface TimelineEntry {
  at: Date;
  kind: TimelineKind;
  text: string;
}

/** `+1:05` from `start`; hours shown only when needed. */
export function elapsed(at: Date, start: Date): string {
  const total = Math.max(0, Math.round((at.getTime() - start.getTime()) / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `+${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `+${minutes}:${seconds}`;
}

/** Rows `[time (UTC), since start, what]` for a summary table, oldest first. */
export function timelineRows(entries: readonly TimelineEntry[], start: Date): string[][] {
  return [...entries]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((entry) => [entry.at.toISOString().slice(11, 19), elapsed(entry.at, start), entry.text]);
}
