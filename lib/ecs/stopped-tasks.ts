import { shownOnOneLine } from '../runner/untrusted-text.js';
import type { Container, Task } from '@aws-sdk/client-ecs';

/** Pure descriptions of why an ECS task stopped, as one-line reasons people can act on. */

export interface StoppedTaskDescription {
  taskId: string;
  /** `Task 0a1b stopped (TaskFailedToStart): CannotPullContainerError: ...` */
  headline: string;
  /** One line per container that says something: exit code, reason, health. */
  containers: string[];
}

/** `arn:aws:ecs:us-east-1:1:task/cluster/0a1b2c` -> `0a1b2c`. */
export function taskIdOf(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}

export function describeStoppedTask(task: Task): StoppedTaskDescription {
  const taskId = taskIdOf(task.taskArn ?? '?');
  const code = task.stopCode ? ` (${task.stopCode})` : '';
  const reason = oneLine(task.stoppedReason) || 'no reason given';
  return {
    taskId,
    headline: `Task ${taskId} stopped${code}: ${reason}`,
    containers: (task.containers ?? []).map(describeContainer).filter((line): line is string => line !== undefined),
  };
}

/** The headline and the container lines, each a line of its own. */
export function stoppedTaskLines(task: Task): string[] {
  const description = describeStoppedTask(task);
  return [description.headline, ...description.containers.map((line) => `  ${line}`)];
}

/** `container migration exited with code 1: reason (health UNHEALTHY)`, or undefined when there is nothing to say. */
export function describeContainer(container: Container): string | undefined {
  const name = container.name ?? '?';
  const parts: string[] = [];
  if (container.exitCode !== undefined && container.exitCode !== null) {
    parts.push(`exited with code ${container.exitCode}${exitCodeMeaning(container.exitCode)}`);
  } else if (container.lastStatus === 'STOPPED') {
    parts.push('stopped without an exit code');
  }
  const reason = oneLine(container.reason);
  if (reason) parts.push(reason);
  if (container.healthStatus && container.healthStatus !== 'UNKNOWN') parts.push(`health ${container.healthStatus}`);
  if (parts.length === 0) return undefined;
  return `container ${name}: ${parts.join('; ')}`;
}

/** What well-known exit codes usually mean, since "137" alone tells most people nothing. */
export function exitCodeMeaning(code: number): string {
  switch (code) {
    case 137:
      return ' (killed: SIGKILL, often out of memory or stopped)';
    case 143:
      return ' (terminated: SIGTERM)';
    case 139:
      return ' (segmentation fault)';
    default:
      return '';
  }
}

/** An AWS reason on one line: its line breaks as spaces, any other control character escaped. */
export function oneLine(text: string | undefined): string {
  return shownOnOneLine((text ?? '').replace(/\s*\r?\n\s*/g, ' ').trim());
}
