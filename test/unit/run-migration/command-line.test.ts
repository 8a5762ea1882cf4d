import { formatCommand, parseCommand } from '../../../actions/run-migration/command-line.js';
import { InputError } from '../../../lib/runner/inputs.js';

describe('parseCommand', () => {
  it('splits a command line into words', () => {
    expect(parseCommand('command', 'python manage.py migrate --noinput')).toEqual([
      'python',
      'manage.py',
      'migrate',
      '--noinput',
    ]);
  });

  it('respects single and double quotes and backslash escapes', () => {
    expect(parseCommand('command', `sh -c 'echo "hi there" && exit 0'`)).toEqual([
      'sh',
      '-c',
      'echo "hi there" && exit 0',
    ]);
    expect(parseCommand('command', `echo "a \\"b\\" c" d\\ e ''`)).toEqual(['echo', 'a "b" c', 'd e', '']);
  });

  it('reads a JSON array of strings as the words', () => {
    expect(parseCommand('command', '["python", "manage.py", "migrate", "app zero"]')).toEqual([
      'python',
      'manage.py',
      'migrate',
      'app zero',
    ]);
  });

  it('refuses JSON that is not an array of strings, naming the input', () => {
    expect(() => parseCommand('command', '{"cmd": "migrate"}')).toThrow(
      new InputError("Input 'command' must be a command line or a JSON array of strings, got a JSON object"),
    );
    expect(() => parseCommand('command', '["python", 3]')).toThrow(/array with items that are not strings/);
    expect(() => parseCommand('command', '[python')).toThrow(/looks like JSON but does not parse/);
  });

  it('refuses a variable never closed as an input error naming the input (shell-quote throws on it)', () => {
    for (const text of ['a ${X', 'manage.py shell -c "${X"', 'a ${']) {
      expect(() => parseCommand('command', text)).toThrow(
        /^Input 'command' has a variable that is never closed \('\$\{' without '\}'\)/,
      );
    }
    expect(parseCommand('command', "echo '${X'")).toEqual(['echo', '${X']);
  });

  it('refuses an unterminated quote, an empty command and unquoted shell operators', () => {
    expect(() => parseCommand('command', `echo 'oops`)).toThrow(/Input 'command' has an unterminated ' quote/);
    expect(() => parseCommand('command', '   ')).toThrow(/must name a program/);
    expect(() => parseCommand('command', '[]')).toThrow(/must name a program/);
    expect(() => parseCommand('command', 'migrate && collectstatic')).toThrow(/shell operator '&&'/);
    expect(parseCommand('command', `echo '&&'`)).toEqual(['echo', '&&']);
  });
});

describe('formatCommand', () => {
  it('quotes only the words that need it, so the shown command parses back to the same words', () => {
    const words = ['python', 'manage.py', 'migrate', "it's here", '--noinput'];
    const shown = formatCommand(words);
    expect(shown).toBe(`python manage.py migrate 'it'\\''s here' --noinput`);
    expect(parseCommand('command', shown)).toEqual(words);
  });
});
