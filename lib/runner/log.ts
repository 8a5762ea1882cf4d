import * as core from '@actions/core';
import { nowDate } from './time.js';
import { untrustedLines } from './untrusted-text.js';

/**
 * Progress and failure reporting shared by every action: one place decides how things look in the job log. Every line
 * goes through untrustedLines, since most carry some text from outside (a name, a reason, an AWS message); annotations
 * are workflow commands whose data @actions/core escapes as the runner unescapes it (`%`, `\r`, `\n`).
 */

export function info(text: string): void {
  for (const line of untrustedLines(text)) core.info(line);
}

export function progress(line: string, now: Date = nowDate()): void {
  info(`[${now.toISOString().slice(11, 19)}] ${line}`);
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

/** Prints a text from outside (a task's log lines, an HTTP body) to the job log as text. */
export function printUntrusted(text: string): void {
  info(text);
}
