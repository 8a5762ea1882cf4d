import { familyOf, revisionOf, shortTaskDefinition } from '../../lib/ecs/task-definitions.js';
import {
  chronological,
  deploymentIdOf,
  failedRevisions,
  rolledBackByEcs,
  wasRolledBack,
  type DeploymentRecord,
  type PreviousInput,
  type TargetChoice,
} from './rollback-target.js';

/**
 * What `to: previous` and `to: -N` choose from. Pure.
 *
 * The candidates are the revisions the service stood on after its successful deployments, newest first, without the
 * current revision and without any revision the service was rolled back from: by ECS (a deployment ending ROLLBACK_*)
 * or by a later return to an earlier revision (this action, or anyone's UpdateService back). `-1` is `previous`:
 * when ECS just rolled the newest deployment back onto the running revision, that revision is the first candidate
 * (the release rolled away from is the newest one, not the running one), so no `-N` ever offers it.
 * Without a usable history, the ACTIVE revisions of the family older than the current one stand in.
 */

export interface Candidate {
  /** N of `-N`. */
  back: number;
  taskDefinitionArn: string;
  /** Where it comes from: a successful deployment in the history, the family's ACTIVE revisions, or what runs now. */
  source: 'history' | 'revisions' | 'current';
  /** The successful deployment that put the service on it (newest one), when from the history. */
  serviceDeploymentArn?: string;
  deploymentId?: string;
  /** When that deployment finished (or started, if it did not say). */
  deployedAt?: Date;
}

export interface Candidates {
  candidates: Candidate[];
  /** Why the ACTIVE revisions stand in for the history, when they do. */
  fallbackReason?: string;
  /** Revisions left out because the service was rolled back from them, newest first, with why. */
  rolledBackFrom: { taskDefinitionArn: string; why: string }[];
  /** The newest deployment, when ECS rolled it back onto the running revision (or is doing so, or failed to). */
  undone?: DeploymentRecord;
}

export function rollbackCandidates(input: PreviousInput): Candidates {
  const current = input.currentTaskDefinitionArn;
  const family = familyOf(current);
  const history = (input.history ?? []).filter((r) => !r.taskDefinitionArn || familyOf(r.taskDefinitionArn) === family);
  const ordered = chronological(history);
  const { stack, rolledBackFrom } = walkHistory(ordered);
  const excluded = [...rolledBackFrom.entries()]
    .filter(([arn]) => arn !== current)
    .map(([taskDefinitionArn, why]) => ({ taskDefinitionArn, why }))
    .reverse();

  const undone = rolledBackByEcs(ordered, current);
  const position = stack.findIndex((r) => r.taskDefinitionArn === current);
  const below = (position >= 0 ? stack.slice(0, position) : stack).reverse();
  const fromHistory: Candidate[] = below.map((record) => ({
    back: 0,
    taskDefinitionArn: record.taskDefinitionArn as string,
    source: 'history',
    serviceDeploymentArn: record.serviceDeploymentArn,
    deploymentId: deploymentIdOf(record.serviceDeploymentArn),
    deployedAt: record.finishedAt ?? record.startedAt ?? record.createdAt,
  }));
  const running: Candidate[] = undone ? [{ back: 0, taskDefinitionArn: current, source: 'current' }] : [];

  let fallbackReason: string | undefined;
  let rest = fromHistory;
  if (fromHistory.length === 0) {
    fallbackReason =
      input.history === undefined
        ? 'the service deployment history could not be read'
        : history.length === 0
          ? 'the service deployment history is empty'
          : `no earlier successful deployment of ${family} in the service deployment history (${history.length} read)`;
    const failed = failedRevisions(history);
    const currentRevision = revisionOf(current) ?? Number.MAX_SAFE_INTEGER;
    rest = input.activeRevisions
      .filter((r) => familyOf(r.taskDefinitionArn) === family && r.revision < currentRevision)
      .filter((r) => !failed.has(r.taskDefinitionArn) && !rolledBackFrom.has(r.taskDefinitionArn))
      .sort((a, b) => b.revision - a.revision)
      .map((r) => ({ back: 0, taskDefinitionArn: r.taskDefinitionArn, source: 'revisions' }));
  }
  const candidates = [...running, ...rest].map((c, i) => ({ ...c, back: i + 1 }));
  return { candidates, fallbackReason, rolledBackFrom: excluded, undone };
}

/**
 * Replays the history oldest first. A successful deployment of a revision already on the stack is a return to it:
 * what was above it was rolled back from. A deployment ECS rolled back (its target not among its sources) marks its
 * target as rolled back from. A later successful deployment of a revision clears the mark.
 */
function walkHistory(ordered: readonly DeploymentRecord[]): {
  stack: DeploymentRecord[];
  rolledBackFrom: Map<string, string>;
} {
  const stack: DeploymentRecord[] = [];
  const rolledBackFrom = new Map<string, string>();
  for (const record of ordered) {
    const arn = record.taskDefinitionArn;
    if (!arn) continue;
    if (record.status === 'SUCCESSFUL') {
      const index = stack.findIndex((r) => r.taskDefinitionArn === arn);
      if (index >= 0) {
        for (const undone of stack.splice(index)) {
          if (undone.taskDefinitionArn !== arn) {
            rolledBackFrom.set(
              undone.taskDefinitionArn as string,
              `the service returned to ${label(arn)} from it (deployment ${deploymentIdOf(record.serviceDeploymentArn)})`,
            );
          }
        }
      }
      rolledBackFrom.delete(arn);
      stack.push(record);
    } else if (wasRolledBack(record) && !(record.sourceTaskDefinitionArns ?? []).includes(arn)) {
      rolledBackFrom.set(arn, `its deployment ${deploymentIdOf(record.serviceDeploymentArn)} was ${record.status}`);
      const index = stack.findIndex((r) => r.taskDefinitionArn === arn);
      if (index >= 0) stack.splice(index, 1);
    }
  }
  return { stack, rolledBackFrom };
}

/**
 * `to: previous` (back 1) and `to: -N`: the N-th candidate, with the reason said in the log and summary, or a refusal.
 * The same choice for `previous` and `-1`, including the NOOP (or redeploy) when ECS already rolled back.
 */
export function chooseBack(input: PreviousInput, back: number, list = rollbackCandidates(input)): TargetChoice {
  const current = input.currentTaskDefinitionArn;
  const family = familyOf(current);
  const currentLabel = shortTaskDefinition(current);
  const chosen = list.candidates[back - 1];
  if (!chosen) return { kind: 'refuse', message: refusal(input, back, list) };

  if (chosen.source === 'current' && list.undone) {
    const undone = list.undone;
    const what = `the newest deployment (${deploymentIdOf(undone.serviceDeploymentArn)}, ${label(undone.taskDefinitionArn)}) is ${undone.status}`;
    const failed = undone.status === 'ROLLBACK_FAILED';
    const settled = undone.status === 'ROLLBACK_SUCCESSFUL';
    return {
      kind: 'target',
      taskDefinitionArn: current,
      source: 'current',
      redeploy: failed || undefined,
      reason: failed
        ? `${what}: ECS could not put the service back on ${currentLabel}, the last good revision; a new deployment of it retries`
        : `${what}: ECS ${settled ? 'already put' : 'is putting'} the service back on ${currentLabel}, the last good revision`,
    };
  }
  if (chosen.source === 'history') {
    const skipped = skippedAfter(input, chosen, list);
    const deployed = `${chosen.deploymentId} of ${label(chosen.taskDefinitionArn)}`;
    const completed = chosen.deployedAt ? `, completed ${chosen.deployedAt.toISOString()}` : '';
    return {
      kind: 'target',
      taskDefinitionArn: chosen.taskDefinitionArn,
      source: 'history',
      reason:
        (back === 1
          ? `the last successful deployment before ${currentLabel} is ${deployed}${completed}`
          : `candidate -${back} among the service's successful deployments is ${deployed}${completed}`) +
        (skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : ''),
    };
  }
  const failed = failedRevisions(input.history ?? []);
  const leftOut = new Map(list.rolledBackFrom.map((r) => [r.taskDefinitionArn, r.why]));
  const isCandidate = new Set(list.candidates.map((c) => c.taskDefinitionArn));
  const newerSkipped = input.activeRevisions
    .filter((r) => familyOf(r.taskDefinitionArn) === family && !isCandidate.has(r.taskDefinitionArn))
    .filter((r) => r.revision > (revisionOf(chosen.taskDefinitionArn) ?? 0) && r.revision < (revisionOf(current) ?? 0))
    .sort((a, b) => b.revision - a.revision)
    .map((r) => {
      const status = failed.get(r.taskDefinitionArn)?.status;
      return `${label(r.taskDefinitionArn)} (${status ? `its deployment was ${status}` : (leftOut.get(r.taskDefinitionArn) ?? 'not a candidate')})`;
    });
  const which = back === 1 ? 'the newest ACTIVE revision' : `the ${ordinal(back)} newest ACTIVE revision`;
  return {
    kind: 'target',
    taskDefinitionArn: chosen.taskDefinitionArn,
    source: 'revisions',
    reason:
      `${list.fallbackReason}; ${label(chosen.taskDefinitionArn)} is ${which} of ${family} older than ${currentLabel}` +
      (newerSkipped.length > 0 ? `; skipped ${newerSkipped.join(', ')}` : ''),
  };
}

function refusal(input: PreviousInput, back: number, list: Candidates): string {
  const family = familyOf(input.currentTaskDefinitionArn);
  const currentLabel = shortTaskDefinition(input.currentTaskDefinitionArn);
  if (list.candidates.length === 0) {
    return `Nothing to roll back to: ${list.fallbackReason ?? 'no candidate'}, and ${family} has no ACTIVE revision older than ${currentLabel} that did not fail`;
  }
  const shown = list.candidates
    .slice(0, 10)
    .map((c) => `-${c.back} ${label(c.taskDefinitionArn)}`)
    .join(', ');
  const count = list.candidates.length;
  return (
    `Input 'to' is -${back}, but there ${count === 1 ? 'is only 1 revision' : `are only ${count} revisions`} to roll back to ` +
    `(${shown}${count > 10 ? ', …' : ''}): choose one of those, or name a revision number`
  );
}

/** Revisions deployed after the chosen one that are not candidates: said in the reason so the choice is no surprise. */
function skippedAfter(input: PreviousInput, chosen: Candidate, list: Candidates): string[] {
  const ordered = chronological(input.history ?? []);
  const from = ordered.findIndex((r) => r.serviceDeploymentArn === chosen.serviceDeploymentArn);
  const isCandidate = new Set(list.candidates.map((c) => c.taskDefinitionArn));
  const family = familyOf(input.currentTaskDefinitionArn);
  const seen = new Set<string>();
  const skipped: string[] = [];
  for (const record of ordered.slice(from + 1)) {
    const arn = record.taskDefinitionArn;
    if (!arn || arn === input.currentTaskDefinitionArn || isCandidate.has(arn) || seen.has(arn)) continue;
    if (familyOf(arn) !== family) continue;
    seen.add(arn);
    skipped.push(`${label(arn)} (${record.status})`);
  }
  return skipped;
}

/** 2 -> 2nd, 3 -> 3rd, 11 -> 11th. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

function label(arn: string | undefined): string {
  return arn ? shortTaskDefinition(arn) : 'an unknown revision';
}

/**
 * What to offer instead of a revision that cannot be deployed (INACTIVE, or missing): the newest ACTIVE revision
 * older than it that is neither the running one nor one the service failed on or was rolled back from. Hints point
 * backwards: never the release being rolled back from, never anything newer than what was asked for.
 */
export function olderAlternative(
  wanted: string,
  input: PreviousInput,
  list = rollbackCandidates(input),
): string | undefined {
  const family = familyOf(input.currentTaskDefinitionArn);
  const wantedRevision = revisionOf(wanted) ?? Number.MAX_SAFE_INTEGER;
  const failed = failedRevisions(input.history ?? []);
  const rolledBackFrom = new Set(list.rolledBackFrom.map((r) => r.taskDefinitionArn));
  return input.activeRevisions
    .filter((r) => familyOf(r.taskDefinitionArn) === family && r.revision < wantedRevision)
    .filter((r) => r.taskDefinitionArn !== input.currentTaskDefinitionArn)
    .filter((r) => !failed.has(r.taskDefinitionArn) && !rolledBackFrom.has(r.taskDefinitionArn))
    .sort((a, b) => b.revision - a.revision)[0]?.taskDefinitionArn;
}
