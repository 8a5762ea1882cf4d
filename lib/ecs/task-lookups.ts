import type { TargetHealth } from '../elb/target-groups.js';
import type { ServiceTask } from './serving.js';

/**
 * Which tasks are worth a ListTasks / DescribeTasks, decided from what one deployment's watch already knows. The
 * watch keeps one map of the tasks it described (by ARN; `startedBy` and the address never change), shared by the
 * stopped-task evidence and the target-group watch, so neither describes a task to learn what the other already knows.
 *
 * A target is an address; only DescribeTasks ties an address to the deployment that started its task. Most of the time
 * that is not needed: the targets registered when the watch first looks, before any task of our deployment runs, are
 * old, and the ones that appear afterwards are our deployment's. A lookup is made only when that cannot be told (the
 * first look finds our deployment already running, e.g. ECS's own rollback deployment) or when a verdict hangs on it
 * (SERVING is about to be returned).
 */

export type KnownTasks = Map<string, ServiceTask>;

/**
 * The addresses the first look can set aside as old without a lookup: every target but those still `initial`, which
 * may be one of ours registered between DescribeServices and DescribeTargetHealth. Undefined when our deployment
 * already runs tasks (they may be registered and healthy): then the first look cannot tell, and a lookup must.
 */
export function oldAtFirstLook(targets: readonly TargetHealth[], ourRunning: number): Set<string> | undefined {
  if (ourRunning > 0) return undefined;
  return new Set(targets.filter((t) => t.state !== 'initial').map((t) => t.id));
}

export interface AddressBook {
  /** Tasks described so far, by ARN. */
  known: ReadonlyMap<string, ServiceTask>;
  /** Old addresses from the first look; undefined when it could not tell (see oldAtFirstLook). */
  before: ReadonlySet<string> | undefined;
  /** Addresses a lookup matched to no task of the service: not looked up again. */
  unexplained: ReadonlySet<string>;
}

/** Addresses whose task is not known, that are neither old from the first look nor already failed a lookup. */
export function unknownAddresses(addresses: readonly string[], book: AddressBook): string[] {
  const described = new Set([...book.known.values()].map((t) => t.ip));
  return [
    ...new Set(addresses.filter((ip) => !described.has(ip) && !book.before?.has(ip) && !book.unexplained.has(ip))),
  ];
}

/**
 * The addresses to look up now: every unknown one when the first look could not tell old from ours; otherwise none,
 * unless `confirming` (a SERVING verdict rests on addresses only presumed ours).
 */
export function addressesToLookUp(addresses: readonly string[], book: AddressBook, confirming: boolean): string[] {
  if (book.before && !confirming) return [];
  return unknownAddresses(addresses, book);
}

/** Addresses presumed ours: unknown ones that appeared after a first look that could tell (see above). */
export function presumedOurs(addresses: readonly string[], book: AddressBook): Set<string> {
  return book.before ? new Set(unknownAddresses(addresses, book)) : new Set();
}

/**
 * The stopped tasks to describe: not reported (or set aside) yet, and not already known to have been started by
 * another deployment (ours are described to say why they stopped; a rollout's old tasks are not ours to explain).
 */
export function stoppedTasksToDescribe(
  arns: readonly string[],
  seen: ReadonlySet<string>,
  known: ReadonlyMap<string, ServiceTask>,
  deploymentId: string,
): string[] {
  return arns.filter((arn) => {
    if (seen.has(arn)) return false;
    const startedBy = known.get(arn)?.startedBy;
    return !(startedBy?.startsWith('ecs-svc/') && startedBy !== deploymentId);
  });
}
