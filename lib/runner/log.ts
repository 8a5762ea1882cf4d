import { randomBytes } from 'node:crypto';
import * as core from '@actions/core';
import { nowDate } from './time.js';

/** Progress and failure reporting shared by every action: one place decides how things look in the job log. */

export function info(line: string): void {
  core.info(line);
}

export function progress(line: string, now: Date = nowDate()): void {
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

/** What a long wait in the domain code reports, printed: progress lines with their time, and warnings. */
export const progressPrinter = {
  onProgress: (line: string, at: Date) => progress(line, at),
  onWarning: (message: string) => warn(message),
};

export function setOutputs(outputs: Record<string, string | number | boolean | undefined>): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined) core.setOutput(name, String(value));
  }
}

/**
 * The job-log lines that show `message` verbatim. A log line from the task is untrusted: one that looks like a
 * workflow command (`::set-output`, `::add-mask`, `##[`) is wrapped in stop-commands so the runner prints it as text.
 */
export function jobLogLines(message: string, token: () => string = randomToken): string[] {
  const lines = message.replace(/\r?\n$/, '').split(/\r?\n/);
  if (!lines.some(looksLikeCommand)) return lines;
  const stop = token();
  return [`::stop-commands::${stop}`, ...lines, `::${stop}::`];
}

function looksLikeCommand(line: string): boolean {
  const trimmed = line.trimStart();
  return trimmed.startsWith('::') || trimmed.startsWith('##[');
}

function randomToken(): string {
  return randomBytes(16).toString('hex');
}

/** Prints a message from outside (a task's log line) to the job log safely. */
export function printUntrusted(message: string): void {
  for (const line of jobLogLines(message)) core.info(line);
}
