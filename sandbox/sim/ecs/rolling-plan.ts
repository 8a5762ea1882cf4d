/**
 * One step of a rolling deployment, decided from counts alone: how many tasks of the primary deployment to start and
 * which tasks to stop, honouring minimumHealthyPercent (never fewer healthy tasks) and maximumPercent (never more
 * tasks in total).
 */

export interface TaskView {
  id: string;
  healthy: boolean;
}

export interface RollingInput {
  desiredCount: number;
  minimumHealthyPercent: number;
  maximumPercent: number;
  /** Tasks of the primary deployment that are meant to run (desiredStatus RUNNING). */
  primary: TaskView[];
  /** Tasks of older deployments that are meant to run. */
  old: TaskView[];
  /** The primary deployment may not start tasks (breaker tripped without rollback, aborted). */
  halted?: boolean;
}

export interface RollingPlan {
  launch: number;
  stop: string[];
}

export function planRollingStep(input: RollingInput): RollingPlan {
  const desired = input.desiredCount;
  const maxTotal = Math.max(Math.floor((desired * input.maximumPercent) / 100), desired === 0 ? 0 : 1);
  const minHealthy = Math.ceil((desired * input.minimumHealthyPercent) / 100);
  const stop: string[] = [];

  // Scale in: the primary's surplus goes first, the unhealthy ones before the healthy.
  const surplus = Math.max(0, input.primary.length - desired);
  const primaryByHealth = [...input.primary].sort((a, b) => Number(a.healthy) - Number(b.healthy));
  for (const task of primaryByHealth.slice(0, surplus)) stop.push(task.id);

  let healthy = [...input.primary, ...input.old].filter((t) => t.healthy && !stop.includes(t.id)).length;
  for (const task of input.old.filter((t) => !t.healthy)) stop.push(task.id);
  for (const task of input.old.filter((t) => t.healthy)) {
    if (healthy - 1 < minHealthy) break;
    stop.push(task.id);
    healthy--;
  }

  const liveAfter = input.primary.length + input.old.length - stop.length;
  const primaryAfter = input.primary.length - surplus;
  const launch = input.halted ? 0 : Math.max(0, Math.min(desired - primaryAfter, maxTotal - liveAfter));
  return { launch, stop };
}
