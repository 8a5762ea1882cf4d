import { readRunnerOutput } from '../../../../sandbox/runner-commands.js';
import { readsAsCommand, shownOnOneLine, untrustedLines } from '../../../../lib/runner/untrusted-text.js';

/**
 * Built from the runner's own rules (actions/runner: src/Runner.Common/ActionCommand.cs TryParseV2 / TryParse,
 * src/Runner.Worker/ActionCommandManager.cs stop-commands, src/Runner.Sdk/ProcessInvoker.cs StreamReader.ReadLine),
 * modelled in sandbox/runner-commands.ts: each hostile text is first shown to set an output or an annotation when
 * printed as it is, then to be plain text once it goes through untrustedLines.
 */

const HOSTILE: Array<[string, string]> = [
  ['`::` at the start', '::set-output name=injected::yes'],
  ['`::` after spaces and tabs', ' \t ::warning::spoof'],
  ['`::` after U+0085 (NEL), which .NET trims', '\u0085::warning::spoof'],
  ['`::` after U+00A0, U+2028, U+3000', '\u00a0\u2028\u3000::error::spoof'],
  ['`::` after a vertical tab and a form feed', '\u000b\u000c::add-mask::x'],
  ['`##[` anywhere in the line (the older parser)', 'x ##[set-output name=injected;]yes'],
  ['`##[` with another command', 'Applying 0042 ##[warning]spoof'],
  ['`::` after a lone `\\r` (ReadLine ends a line there)', 'progress\r::set-output name=injected::yes'],
  ['`::` after `\\r\\n`', 'one\r\n::set-output name=injected::yes'],
  ['stop-commands, to silence the commands that follow', '::stop-commands::pwned'],
  ['upper-case command names', '::SET-OUTPUT name=injected::yes'],
];

/** The text, then a command of the action's own: what the runner runs. */
const commandsRun = (lines: string[]) =>
  readRunnerOutput([...lines, '::notice::ours'].join('\n') + '\n').commands.map((c) => `${c.name}: ${c.data}`);

describe('the runner model runs a command of each hostile text printed as it is', () => {
  it.each(HOSTILE)('%s', (_, text) => {
    expect(commandsRun([text])).not.toEqual(['notice: ours']);
  });
});

describe('untrustedLines', () => {
  it.each(HOSTILE)('%s: no command once neutralised', (_, text) => {
    expect(commandsRun(untrustedLines(text))).toEqual(['notice: ours']);
    const shown = readRunnerOutput(untrustedLines(text).join('\n')).text;
    expect(shown.join('\n')).toContain(text.slice(text.search(/::|##\[/))); // shown as text
  });

  it('keeps the commands that follow working (the stop-commands block is closed)', () => {
    expect(commandsRun(untrustedLines('::stop-commands::pwned\n::add-mask::x'))).toEqual(['notice: ours']);
  });

  it('prints ordinary lines as they are, without stop-commands', () => {
    expect(untrustedLines('Applying auth.0001_initial... OK\n')).toEqual(['Applying auth.0001_initial... OK']);
    expect(untrustedLines('a: b :: c\n\tcoloured \u001b[32mOK\u001b[0m')).toEqual([
      'a: b :: c',
      '\tcoloured \u001b[32mOK\u001b[0m',
    ]);
  });

  it('wraps lines that read as commands in stop-commands with a token of its own', () => {
    expect(untrustedLines('  ::add-mask::x\nnext', { token: () => 'tok' })).toEqual([
      '::stop-commands::tok',
      '  ::add-mask::x',
      'next',
      '::tok::',
    ]);
    const [first, , last] = untrustedLines('::x::');
    expect(first).toMatch(/^::stop-commands::[0-9a-f]{32}$/);
    expect(last).toBe(`::${first!.slice('::stop-commands::'.length)}::`);
  });

  it('shows a lone \\r escaped, so the runner sees one line', () => {
    expect(untrustedLines('10%\r20%\r30%')).toEqual(['10%\\r20%\\r30%']);
  });

  it('prints a one-line text (a file name with a newline) escaped on one line', () => {
    expect(untrustedLines('js/a\n::warning::b.js', { oneLine: true })).toEqual(['js/a\\n::warning::b.js']);
    expect(shownOnOneLine('a\r\nb\u0085c\u2028d\u0000')).toBe('a\\r\\nb\\u0085c\\u2028d\\u0000');
  });
});

describe('readsAsCommand', () => {
  it('is false for text the runner prints as it is', () => {
    expect(readsAsCommand('a :: b')).toBe(false);
    expect(readsAsCommand('#[x] ## [y]')).toBe(false);
    expect(readsAsCommand('\u200b::not-trimmed::by .NET')).toBe(false); // U+200B is not white space to .NET
  });
});
