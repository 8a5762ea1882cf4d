import type { Task } from '@aws-sdk/client-ecs';
import { decideOutcome } from './task-run.js';
import type { Settled } from './settle-task.js';
import type { WaitResult } from './wait-for-task.js';
import { formatSeconds } from '../../lib/runner/time.js';

/** Pure: what a finished wait means for the run, in the words of the annotation and the summary. */

export type Verdict =
  | { ok: true; exitCode: 0; notes: string[] }
  | {
      ok: false;
      /** The annotation's title. */
      title: string;
      /** One line: the annotation's first line and the summary's headline. */
      reason: string;
      /** The annotation's body: the last log lines, or why the task did not start. */
      body?: string;
      exitCode?: number;
      /** The stop reason and each container's, for the log and the summary. */
      details: string[];
    };

export interface VerdictInput {
  waited: WaitResult;
  settled: Settled;
  container: string;
  essentialContainers: string[];
  /** What the run is called in titles: `Migration`, or `Command createsuperuser` (see runLabel). */
  label: string;
  /** Whether the inputs asked for the task to be stopped in this case (stop-on-timeout / stop-on-cancel). */
  stopWanted: boolean;
  lastLines: string[];
}

const TITLES = { timeout: 'timed out', cancelled: 'cancelled', lost: 'not watched' };
const NOT_YET_RUNNING = ['PROVISIONING', 'PENDING', 'ACTIVATING'];

export function judge(input: VerdictInput): Verdict {
  const { waited, settled } = input;
  const body = lastLinesBody(input.lastLines);
  if (waited.kind === 'stopped') {
    const outcome = decideOutcome(settled.task ?? waited.task, input.container, input.essentialContainers);
    if (outcome.ok) return outcome;
    if (outcome.kind === 'failed-to-start') {
      return { ...outcome, title: `${input.label} task failed to start`, body: outcome.details.join('\n') };
    }
    return { ...outcome, title: `${input.label} failed`, ...(body ? { body } : {}) };
  }
  const exitCode = exitCodeOf(settled.task, input.container);
  const how =
    waited.kind === 'timeout'
      ? `Timed out after ${formatSeconds(waited.seconds)}`
      : waited.kind === 'cancelled'
        ? `Cancelled after ${formatSeconds(waited.seconds)}`
        : `Lost track of the task after ${formatSeconds(waited.seconds)} (${waited.error})`;
  return {
    ok: false,
    title: `${input.label} ${TITLES[waited.kind]}`,
    reason: `${how}: ${stateWhenLeft(waited.task)} ${whatBecameOfIt(input)}`,
    ...(body ? { body } : {}),
    ...(exitCode !== undefined ? { exitCode } : {}),
    details: [],
  };
}

/** `the task was RUNNING`, or that it never got that far. */
function stateWhenLeft(task: Task | undefined): string {
  const status = task?.lastStatus;
  if (!status) return 'the task was not yet described';
  if (NOT_YET_RUNNING.includes(status)) return `the task was still ${status} (it never started running)`;
  return `the task was ${status}`;
}

function whatBecameOfIt({ settled, stopWanted }: VerdictInput): string {
  if (!stopWanted) return 'and was left running';
  if (!settled.stopRequested) return 'and could not be stopped: it may still be running';
  const status = settled.task?.lastStatus;
  return status === 'STOPPED'
    ? 'and was stopped'
    : `and was told to stop (${status ?? 'status unknown'} when the action ended)`;
}

/**
 * The container's exit code once it has stopped, else none: a code read while it still ran (some emulators report
 * `exitCode: 0` on a RUNNING container) says nothing about how it ended.
 */
function exitCodeOf(task: Task | undefined, container: string): number | undefined {
  const state = task?.containers?.find((c) => c.name === container);
  const stopped = state?.lastStatus === 'STOPPED' || task?.lastStatus === 'STOPPED';
  return stopped ? (state?.exitCode ?? undefined) : undefined;
}

function lastLinesBody(lines: string[]): string | undefined {
  return lines.length > 0 ? `Last ${lines.length} log lines:\n${lines.join('\n')}` : undefined;
}

/** Seconds from the task's creation to its stop by ECS's clock when it stopped, else how long the action waited. */
export function durationSeconds(task: Task | undefined, waitedSeconds: number): number {
  const created = task?.createdAt?.getTime();
  const stopped = task?.stoppedAt?.getTime();
  const seconds = created !== undefined && stopped !== undefined ? (stopped - created) / 1000 : waitedSeconds;
  return Math.round(seconds * 10) / 10;
}
