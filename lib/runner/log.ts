import * as core from '@actions/core';

/** Progress and failure reporting shared by every action: one place decides how things look in the job log. */

export function info(line: string): void {
  core.info(line);
}

export function progress(line: string, now: Date = new Date()): void {
  core.info(`[${now.toISOString().slice(11, 19)}] ${line}`);
}

export async function group<T>(title: string, work: () => Promise<T>): Promise<T> {
  return core.group(title, work);
}

export function warn(message: string, title?: string): void {
  core.warning(message, title ? { title } : undefined);
}

/** An error annotation with a title and an optional body (e.g. the last log lines), and the step marked failed. */
export function fail(title: string, reason: string, body?: string): void {
  const message = body ? `${reason}\n\n${body}` : reason;
  core.error(message, { title });
  process.exitCode = 1;
}

export function setOutputs(outputs: Record<string, string | number | boolean | undefined>): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined) core.setOutput(name, String(value));
  }
}
