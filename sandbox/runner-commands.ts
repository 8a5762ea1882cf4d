/**
 * How the GitHub runner reads a step's output, modelled on its source (actions/runner):
 * - src/Runner.Sdk/ProcessInvoker.cs reads lines with .NET's StreamReader.ReadLine: `\n`, `\r\n` and a lone `\r` end one;
 * - src/Runner.Worker/Handlers/OutputManager.cs hands a line holding `::` or `##[` to the command manager;
 * - src/Runner.Common/ActionCommand.cs parses it: TryParseV2 (`::name props::data` at the start after .NET's
 *   TrimStart), else TryParse (`##[name props]data` anywhere in the line); the name must be a registered command;
 * - src/Runner.Worker/ActionCommandManager.cs: `stop-commands` ignores every command until `::TOKEN::`.
 * The bundles' tests read what an action printed through this model, so a line the real runner would take as a
 * command is one here too.
 */

export interface RunnerCommand {
  name: string;
  properties: Record<string, string>;
  data: string;
  line: string;
}

/** The commands the runner registers (ActionCommandManager.cs's command extensions, and stop-commands). */
export const REGISTERED_COMMANDS = [
  'stop-commands',
  'set-env',
  'set-output',
  'save-state',
  'add-mask',
  'add-path',
  'add-matcher',
  'remove-matcher',
  'debug',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'echo',
];

/** StreamReader.ReadLine: lines end at `\r\n`, `\n` or `\r`; a final line without an ending still counts. */
export function readLines(output: string): string[] {
  const lines = output.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** .NET Char.IsWhiteSpace, what String.TrimStart() removes. */
const DOTNET_WHITE_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

type Unescapes = Array<[string, string]>;
const DATA: Unescapes = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%'],
];
const PROPERTY: Unescapes = [
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%'],
];
const LEGACY: Unescapes = [
  ['%3B', ';'],
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%5D', ']'],
  ['%25', '%'],
];

function unescape(text: string, mappings: Unescapes): string {
  return mappings.reduce((value, [escaped, token]) => value.split(escaped).join(token), text);
}

/** .NET `Split(new[] { '=' }, count: 2, RemoveEmptyEntries)` keeping pairs of two. */
function pairOf(text: string): [string, string] | undefined {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) return undefined;
  return [text.slice(0, eq), text.slice(eq + 1)];
}

function commandNamed(info: string, registered: Set<string>): { name: string; rest?: string } | undefined {
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (!registered.has(name.toLowerCase())) return undefined;
  return { name: name.toLowerCase(), rest: space > 0 ? info.slice(space + 1) : undefined };
}

/** ActionCommand.TryParseV2. */
export function tryParseV2(line: string, registered: Set<string>): RunnerCommand | undefined {
  const message = line.replace(DOTNET_WHITE_SPACE, '');
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const named = commandNamed(message.slice(2, end), registered);
  if (!named) return undefined;
  const properties: Record<string, string> = {};
  for (const part of (named.rest ?? '').trim().split(',').filter(Boolean)) {
    const pair = pairOf(part);
    if (pair) properties[pair[0]] = unescape(pair[1], PROPERTY);
  }
  return { name: named.name, properties, data: unescape(message.slice(end + 2), DATA), line };
}

/** ActionCommand.TryParse, the older `##[name key=value;key=value]data` form, found anywhere in the line. */
export function tryParse(line: string, registered: Set<string>): RunnerCommand | undefined {
  const prefix = line.indexOf('##[');
  if (prefix < 0) return undefined;
  const bracket = line.indexOf(']', prefix);
  if (bracket < 0) return undefined;
  const named = commandNamed(line.slice(prefix + 3, bracket), registered);
  if (!named) return undefined;
  const properties: Record<string, string> = {};
  for (const part of (named.rest ?? '').split(';').filter(Boolean)) {
    const pair = pairOf(part);
    if (pair) properties[pair[0]] = unescape(pair[1], LEGACY);
  }
  return { name: named.name, properties, data: unescape(line.slice(bracket + 1), LEGACY), line };
}

/** ActionCommandManager.TryProcessCommand over a whole output: the commands it runs and the lines it shows as text. */
export function readRunnerOutput(output: string): { commands: RunnerCommand[]; text: string[] } {
  const registered = new Set(REGISTERED_COMMANDS);
  const commands: RunnerCommand[] = [];
  const text: string[] = [];
  let stopToken: string | undefined;
  for (const line of readLines(output)) {
    const command =
      line.includes('::') || line.includes('##[')
        ? (tryParseV2(line, registered) ?? tryParse(line, registered))
        : undefined;
    if (!command) {
      text.push(line);
    } else if (stopToken !== undefined) {
      if (command.name === stopToken) {
        registered.delete(stopToken);
        stopToken = undefined;
      } else {
        text.push(line);
      }
    } else if (command.name === 'stop-commands') {
      const token = command.data.toLowerCase();
      if (token === '' || registered.has(token) || token === 'pause-logging') {
        throw new Error(`The runner refuses stop-commands token '${command.data}' and fails the step`);
      }
      stopToken = token;
      registered.add(token);
    } else {
      commands.push(command);
    }
  }
  return { commands, text };
}
