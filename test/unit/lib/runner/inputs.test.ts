import { choiceInput, inputLines, Inputs, InputError } from '../../../../lib/runner/inputs.js';

const inputsOf = (values: Record<string, string>) => new Inputs((name) => values[name] ?? '');

describe('Inputs', () => {
  it('names the input and the bad value for an out-of-range number', () => {
    const inputs = inputsOf({ 'timeout-minutes': 'abc' });
    expect(() => inputs.number('timeout-minutes', { min: 1, max: 360, default: 20 })).toThrow(
      new InputError("Input 'timeout-minutes' must be a number between 1 and 360, got 'abc'"),
    );
    expect(() => inputsOf({ n: '361' }).number('n', { min: 1, max: 360 })).toThrow(/between 1 and 360, got '361'/);
    expect(() => inputsOf({ n: '1.5' }).number('n', { min: 1, max: 3, integer: true })).toThrow(/whole number/);
  });

  it('uses defaults only for empty inputs', () => {
    const inputs = inputsOf({ a: ' 7 ', b: '' });
    expect(inputs.number('a', { min: 1, max: 10, default: 3 })).toBe(7);
    expect(inputs.number('b', { min: 1, max: 10, default: 3 })).toBe(3);
    expect(inputs.string('b', { default: 'x' })).toBe('x');
    expect(() => inputs.string('b', { required: true })).toThrow("Input 'b' is required and was not given");
  });

  it('reads booleans strictly', () => {
    expect(inputsOf({ w: 'TRUE' }).boolean('w', false)).toBe(true);
    expect(inputsOf({}).boolean('w', true)).toBe(true);
    expect(() => inputsOf({ w: 'yes' }).boolean('w', true)).toThrow("Input 'w' must be 'true' or 'false', got 'yes'");
  });

  it('parses KEY=VALUE lines, keeping = inside values and rejecting malformed lines', () => {
    const pairs = inputsOf({ env: 'DATABASE_NAME=healthtech_experiment\n\n# comment\nURL=a=b' }).keyValues('env');
    expect(pairs).toEqual([
      { name: 'DATABASE_NAME', value: 'healthtech_experiment' },
      { name: 'URL', value: 'a=b' },
    ]);
    expect(() => inputsOf({ env: 'A=1\nnot a pair' }).keyValues('env')).toThrow(
      "Input 'env' line 2 must be KEY=VALUE with KEY a valid variable name: it has no '=' (the line is not shown",
    );
    // a value is never echoed, whatever separator was used by mistake
    for (const line of ['DATABASE_PASSWORD: s3cr3t', 'DB PASS=s3cr3t', 'export DB_PASS s3cr3t=x']) {
      expect(() => inputsOf({ env: line }).keyValues('env')).toThrow(/^(?!.*s3cr3t).*line 1 must be KEY=VALUE/);
    }
    expect(() => inputsOf({ env: 'A=1\nA=2' }).keyValues('env')).toThrow("Input 'env' sets 'A' more than once");
  });

  it('reads a multiline input line by line: trimmed, blank lines and # comments left out, errors name the line as written', () => {
    expect(inputLines('  A=1  \n\n   \n# a comment\n  # indented comment\nB=2\n')).toEqual([
      { line: 'A=1', number: 1 },
      { line: 'B=2', number: 6 },
    ]);
    expect(() => inputsOf({ env: '# names\n\nA=1\nnot a pair' }).keyValues('env')).toThrow(/^Input 'env' line 4 /);
    expect(() => inputsOf({ r: '# rules\n*.html: no-cache\n\nnothing' }).rules('r')).toThrow(/^Input 'r' line 4 /);
  });

  it('splits lists on commas and newlines', () => {
    expect(inputsOf({ s: 'subnet-a, subnet-b\nsubnet-c,' }).list('s')).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
  });

  it('reads choices and rules', () => {
    expect(inputsOf({ c: 'rollback' }).choice('c', ['fail', 'rollback'], 'fail')).toBe('rollback');
    expect(() => inputsOf({ c: 'x' }).choice('c', ['fail', 'rollback'], 'fail')).toThrow(
      "Input 'c' must be one of fail, rollback, got 'x'",
    );
    expect(inputsOf({ r: '**/*.html: no-cache, must-revalidate\n*: a:b' }).rules('r')).toEqual([
      { pattern: '**/*.html', value: 'no-cache, must-revalidate' },
      { pattern: '*', value: 'a:b' },
    ]);
    expect(() => inputsOf({ r: 'nothing' }).rules('r')).toThrow("Input 'r' line 1 must be 'PATTERN: VALUE'");
  });
});

describe('optionalUrl', () => {
  it('accepts the given schemes only, and names the input otherwise', () => {
    const url = (value: string) => inputsOf({ u: value }).optionalUrl('u', ['http', 'https']);
    expect(url('https://example.com/health')).toBe('https://example.com/health');
    expect(url('http://127.0.0.1:8000/health')).toBe('http://127.0.0.1:8000/health');
    expect(url('')).toBeUndefined();
    expect(() => url('ftp://example.com')).toThrow(
      "Input 'u' must be an http:// or https:// URL, got 'ftp://example.com'",
    );
    expect(() => url('example.com/health')).toThrow(/got 'example.com\/health'/);
  });
});

describe('choiceInput', () => {
  const within = 'task definition startupwebapp-migration-task:3';
  it('names the input when the item it names is missing', () => {
    expect(
      choiceInput('container', { within, items: ['log-router', 'migration'], named: 'web', candidates: ['migration'] })
        .message,
    ).toBe(
      "Input 'container' names 'web', which is not in task definition startupwebapp-migration-task:3 (containers: log-router, migration)",
    );
  });
  it('asks for the input when there is not exactly one candidate', () => {
    expect(choiceInput('container', { within, items: ['a', 'b'], candidates: ['a', 'b'] }).message).toMatch(
      /has 2 essential containers \(a, b\): set input 'container'/,
    );
    expect(choiceInput('container', { within, items: ['a'], candidates: [] }).message).toBe(
      `${within} has no essential container: set input 'container' (containers: a)`,
    );
  });
});
