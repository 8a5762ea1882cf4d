import type { WatchResult } from './watch-result.js';

/**
 * The evidence under a failed watch's error annotation: the first stopped tasks (all of them are in the job summary),
 * the failed task's last log lines, then `more` (e.g. what on-failure did). Undefined when there is nothing to say.
 */
export function failureEvidence(watch: WatchResult, more: string[] = []): string | undefined {
  const logs = watch.failedTaskLogs;
  const hidden = watch.stoppedTasks.length - 3;
  const body = [
    ...watch.stoppedTasks.slice(0, 3).flatMap((task) => task.lines),
    ...(hidden > 0 ? [`(${hidden} more stopped tasks in the job summary)`] : []),
    ...(logs ? ['', `Last log lines of task ${logs.taskId} (${logs.container}):`, ...logs.lines] : []),
    ...(more.length > 0 ? ['', ...more] : []),
  ].join('\n');
  return body.trim() || undefined;
}
