import { randomBytes } from 'node:crypto';

/**
 * Text from outside (a task's log, an AWS answer, a file name, an HTTP body) as job-log lines the runner prints as text.
 *
 * What the runner reads as a command (actions/runner, src/Runner.Common/ActionCommand.cs and
 * src/Runner.Worker/ActionCommandManager.cs, reading lines split by src/Runner.Sdk/ProcessInvoker.cs):
 * - it splits the output into lines with .NET's StreamReader.ReadLine: at `\n`, `\r\n` and a lone `\r`;
 * - TryParseV2: a line whose start, after .NET's TrimStart (Char.IsWhiteSpace: also U+0085, U+00A0, U+2028, …), is `::`;
 * - TryParse: a line with `##[` anywhere in it;
 * - `::stop-commands::TOKEN` makes it ignore every command until `::TOKEN::`.
 *
 * So every line is rendered first: a lone `\r` and other control characters are shown escaped (`\r`), never sent; a
 * one-line text (a name, a reason, a message) has its newlines escaped too. Then, when any rendered line would read as
 * a command, the lines are wrapped in stop-commands with a random token the text cannot know.
 */
export function untrustedLines(text: string, options: { oneLine?: boolean; token?: () => string } = {}): string[] {
  const lines = options.oneLine
    ? [escapeControls(text, ONE_LINE_CONTROLS)]
    : text
        .replace(/\r?\n$/, '')
        .split(/\r?\n/)
        .map((line) => escapeControls(line, IN_LINE_CONTROLS));
  if (!lines.some(readsAsCommand)) return lines;
  const stop = (options.token ?? randomToken)();
  return [`::stop-commands::${stop}`, ...lines, `::${stop}::`];
}

/** What .NET's Char.IsWhiteSpace accepts, i.e. what the runner's `TrimStart()` removes before looking for `::`. */
const DOTNET_LEADING_WHITE_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Whether the runner would try to parse this line as a command (either parser; stop-commands' resume token too). */
export function readsAsCommand(line: string): boolean {
  return line.replace(DOTNET_LEADING_WHITE_SPACE, '').startsWith('::') || line.includes('##[');
}

/** In a line of a multi-line text: every C0 control but tab and ESC (colours), DEL, and the Unicode line breaks. */
// eslint-disable-next-line no-control-regex
const IN_LINE_CONTROLS = /[\u0000-\u0008\u000a-\u001a\u001c-\u001f\u007f\u0085\u2028\u2029]/g;
/** In a one-line text (a name): every control character and line break. */
// eslint-disable-next-line no-control-regex
const ONE_LINE_CONTROLS = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeControls(text: string, controls: RegExp): string {
  return text.replace(controls, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A one-line text from outside (a file name, an S3 key, a reason) as it may sit inside a line of ours. */
export function shownOnOneLine(text: string): string {
  return escapeControls(text, ONE_LINE_CONTROLS);
}

function randomToken(): string {
  return randomBytes(16).toString('hex');
}
