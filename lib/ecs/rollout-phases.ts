import { formatSeconds } from '../runner/time.js';
import { DEFAULT_DEREGISTRATION_DELAY_SECONDS, type TargetGroupSettings } from '../elb/target-groups.js';

/**
 * Where a rollout behind a load balancer spends its time: new tasks starting, passing the target group's health
 * checks, old tasks draining for the deregistration delay, ECS marking it COMPLETED. Pure: moments observed while
 * waiting go in; summary rows, a Mermaid gantt and one line of advice come out.
 */

export interface RolloutMoments {
  /** When the step started waiting for the deployment. */
  startedAt: Date;
  /** ECS's event "has started N tasks" for our deployment. */
  newTasksStartedAt?: Date;
  /** First poll with every new task RUNNING. */
  newTasksRunningAt?: Date;
  /** First poll with every new task healthy in every target group. */
  newHealthyAt?: Date;
  /** First poll with no old target left in service (the new revision serves all traffic). */
  servingAt?: Date;
  /** ECS deregistered the old targets (its event), or the first poll that saw them draining. */
  drainStartedAt?: Date;
  /** The old targets were gone from every target group (observed). */
  drainedAt?: Date;
  /** rolloutState COMPLETED, observed. */
  completedAt?: Date;
  /** When the step stopped waiting. */
  finishedAt: Date;
}

export interface PhaseInput {
  moments: RolloutMoments;
  groups: readonly TargetGroupSettings[];
  /** gunicorn's `--timeout` of the main container, when its command sets one (the longest a request may run). */
  workerTimeoutSeconds?: number;
}

/** The longest deregistration delay of the service's target groups: what ECS waits before stopping an old task. */
export function drainSeconds(groups: readonly TargetGroupSettings[]): number | undefined {
  if (groups.length === 0) return undefined;
  return Math.max(...groups.map((g) => g.deregistrationDelaySeconds));
}

/**
 * When the old targets finish draining: observed; or the drain's start plus the delay, no later than COMPLETED when
 * that was seen (ECS completes only once they drained); `estimated` when neither was seen.
 */
export function drainEnd(input: PhaseInput): { at: Date; estimated: boolean } | undefined {
  const { moments } = input;
  if (moments.drainedAt) return { at: moments.drainedAt, estimated: false };
  const delay = drainSeconds(input.groups);
  if (!moments.drainStartedAt || delay === undefined) return undefined;
  const expected = moments.drainStartedAt.getTime() + delay * 1000;
  if (moments.completedAt) return { at: new Date(Math.min(expected, moments.completedAt.getTime())), estimated: false };
  return { at: new Date(expected), estimated: true };
}

/** `about 4m 35s left`, from the drain's start, the delay and now; `ending` once the delay has passed. */
export function drainLeftText(drainStartedAt: Date, delaySeconds: number, now: Date): string {
  const left = delaySeconds - (now.getTime() - drainStartedAt.getTime()) / 1000;
  return left > 0.5 ? `about ${formatSeconds(Math.ceil(left))} left of ${formatSeconds(delaySeconds)}` : 'ending';
}

/** gunicorn's worker timeout from a container command (`--timeout 30`, `--timeout=30`, `-t 30`), if it sets one. */
export function gunicornTimeout(command: readonly string[] | undefined): number | undefined {
  if (!command || !command.some((word) => /(^|\/)gunicorn$/.test(word) || /(^|\s|\/)gunicorn\s/.test(word))) {
    return undefined;
  }
  const words = command.flatMap((word) => word.split(/\s+/));
  for (let i = 0; i < words.length; i++) {
    const inline = /^--timeout=(\d+)$/.exec(words[i] as string);
    if (inline) return Number(inline[1]);
    if ((words[i] === '--timeout' || words[i] === '-t') && /^\d+$/.test(words[i + 1] ?? ''))
      return Number(words[i + 1]);
  }
  return undefined;
}

const seconds = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 1000);
const since = (at: Date, start: Date) => `+${formatSeconds(seconds(start, at))}`;

/** Rows `[what, UTC, since start]`, in order; estimates say so. */
export function phaseRows(input: PhaseInput): string[][] {
  const { moments, groups } = input;
  const names = groups.map((g) => g.name).join(', ');
  const delay = drainSeconds(groups);
  const rows: Array<[string, Date | undefined]> = [
    ['New tasks started', moments.newTasksStartedAt],
    ['New tasks RUNNING', moments.newTasksRunningAt],
    [`New tasks healthy in ${names}`, moments.newHealthyAt],
    ['New revision serves all traffic', moments.servingAt],
    [`Old tasks draining (deregistration delay ${delay ?? '?'} s)`, moments.drainStartedAt],
  ];
  const out = rows
    .filter((row): row is [string, Date] => row[1] !== undefined)
    .map(([what, at]) => [what, utc(at), since(at, moments.startedAt)]);
  const drained = drainEnd(input);
  if (drained) {
    out.push([
      drained.estimated ? 'Old tasks drained (expected)' : 'Old tasks drained',
      utc(drained.at),
      since(drained.at, moments.startedAt),
    ]);
  }
  if (moments.completedAt)
    out.push(['COMPLETED', utc(moments.completedAt), since(moments.completedAt, moments.startedAt)]);
  return out;
}

function utc(at: Date): string {
  return at.toISOString().slice(11, 19);
}

/**
 * One line when the deregistration delay or the health-check settings make up most of the rollout, with the figures;
 * undefined when neither does.
 */
export function rolloutAdvice(input: PhaseInput): string | undefined {
  const { moments, groups } = input;
  if (groups.length === 0) return undefined;
  const end = moments.completedAt ?? drainEnd(input)?.at ?? moments.finishedAt;
  const total = seconds(moments.startedAt, end);
  if (total <= 0) return undefined;

  const delay = drainSeconds(groups) as number;
  const slowest = groups.find((g) => g.deregistrationDelaySeconds === delay) as TargetGroupSettings;
  const drained = drainEnd(input);
  const draining = moments.drainStartedAt && drained ? seconds(moments.drainStartedAt, drained.at) : 0;
  if (draining >= 60 && draining >= 0.4 * total) {
    const origin = delay === DEFAULT_DEREGISTRATION_DELAY_SECONDS ? " (ELB's default)" : '';
    const timeout = input.workerTimeoutSeconds;
    const suggested = timeout !== undefined ? Math.max(5, timeout) : 60;
    if (suggested < delay) {
      const head =
        `Draining old tasks ${drained?.estimated ? 'takes' : 'took'} ${formatSeconds(draining)} of this ` +
        `${formatSeconds(total)} rollout: ${slowest.name}'s ` +
        `deregistration delay is ${delay} s${origin}`;
      const change = `deregistration_delay.timeout_seconds=${suggested} would make every deploy and rollback about ${formatSeconds(delay - suggested)} shorter.`;
      return timeout !== undefined
        ? `${head}, while gunicorn's worker timeout (--timeout ${timeout}) ends every request within ${timeout} s: ${change}`
        : `${head}; if no request takes longer than a minute, ${change}`;
    }
  }

  if (moments.newTasksRunningAt && moments.newHealthyAt) {
    const checking = seconds(moments.newTasksRunningAt, moments.newHealthyAt);
    const group = groups.reduce((a, b) =>
      a.healthCheck.intervalSeconds * a.healthCheck.healthyThreshold >=
      b.healthCheck.intervalSeconds * b.healthCheck.healthyThreshold
        ? a
        : b,
    );
    const check = group.healthCheck;
    const faster = 10 * check.healthyThreshold;
    if (checking >= 45 && checking >= 0.3 * total && check.intervalSeconds > 10) {
      return (
        `Health checks took ${formatSeconds(checking)} of this ${formatSeconds(total)} rollout to call the new tasks ` +
        `healthy in ${group.name} (every ${check.intervalSeconds} s, ${check.healthyThreshold} in a row); an interval ` +
        `of 10 s would make that about ${formatSeconds(faster)}.`
      );
    }
  }
  return undefined;
}

/** The rollout as a Mermaid gantt (GitHub renders it in job summaries); undefined without the moments to draw. */
export function rolloutGantt(input: PhaseInput, title: string): string | undefined {
  const { moments } = input;
  const bars: Array<{ section: string; label: string; from: Date; to: Date }> = [];
  const starting = moments.newTasksStartedAt ?? moments.startedAt;
  if (moments.newTasksRunningAt) {
    bars.push({ section: 'New tasks', label: 'Starting', from: starting, to: moments.newTasksRunningAt });
  }
  if (moments.newTasksRunningAt && moments.newHealthyAt) {
    const names = input.groups.map((g) => g.name).join(' and ');
    bars.push({
      section: 'New tasks',
      label: `Health checks in ${names}`,
      from: moments.newTasksRunningAt,
      to: moments.newHealthyAt,
    });
  }
  const drained = drainEnd(input);
  if (moments.drainStartedAt && drained) {
    bars.push({
      section: 'Old tasks',
      label: drained.estimated ? 'Draining (expected)' : 'Draining',
      from: moments.drainStartedAt,
      to: drained.at,
    });
  }
  if (bars.length === 0) return undefined;
  const lines = ['gantt', `  title ${label(title)}`, '  dateFormat x', '  axisFormat %H:%M:%S'];
  let section = '';
  for (const bar of bars) {
    if (bar.section !== section) lines.push(`  section ${(section = bar.section)}`);
    lines.push(`  ${label(bar.label)} : ${bar.from.getTime()}, ${Math.max(bar.to.getTime(), bar.from.getTime() + 1)}`);
  }
  const milestones: Array<[string, Date | undefined]> = [
    ['Serves all traffic', moments.servingAt],
    ['COMPLETED', moments.completedAt],
  ];
  const marked = milestones.filter((m): m is [string, Date] => m[1] !== undefined);
  if (marked.length > 0) lines.push('  section ECS');
  for (const [name, at] of marked) lines.push(`  ${name} : milestone, ${at.getTime()}, 0s`);
  return lines.join('\n');
}

/** Mermaid task names end at `:` and `#` starts a comment. */
function label(text: string): string {
  return text.replace(/[:#;]/g, ' ').replace(/\s+/g, ' ').trim();
}
