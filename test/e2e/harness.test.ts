import { join } from 'node:path';
import { REPO_ROOT, inputEnvName, parseFileCommand, runBundle, startBundle } from '../../sandbox/run-bundle.js';

const entry = join(REPO_ROOT, 'test/fixtures/fake-action.mjs');

it('names inputs as the runner does', () => {
  expect(inputEnvName('timeout-minutes')).toBe('INPUT_TIMEOUT-MINUTES');
  expect(inputEnvName('who to greet')).toBe('INPUT_WHO_TO_GREET');
});

it('returns outputs, summary, annotations, groups and masks of a run', async () => {
  const result = await runBundle('fake', { entry, inputs: { 'who-to-greet': 'Mona' } });
  expect(result.exitCode).toBe(0);
  expect(result.outputs).toEqual({ greeting: 'Hello,\nMona', simple: 'yes' });
  expect(result.summary).toBe('## Greeted Mona\n');
  expect(result.groups).toEqual(['Greeting']);
  expect(result.masks).toEqual(['s3cr3t']);
  expect(result.warnings).toEqual([{ level: 'warning', title: undefined, message: 'careful: this is a warning' }]);
  expect(result.lines).toEqual(['Hello, Mona']);
});

it('returns the exit code and the error annotation of a failed run', async () => {
  const result = await runBundle('fake', { entry });
  expect(result.exitCode).toBe(1);
  expect(result.errors).toEqual([
    { level: 'error', title: 'Bad input', message: "Input 'who-to-greet' is required\nand was not given" },
  ]);
});

it('can send SIGTERM mid-run, as the runner does on cancel', async () => {
  const running = startBundle('fake', { entry, inputs: { 'who-to-greet': 'Mona', wait: true }, timeoutMs: 10_000 });
  await running.waitForLine(/waiting for a signal/);
  running.signal('SIGTERM');
  const result = await running.result;
  expect(result.exitCode).toBe(143);
  expect(result.lines).toContain('cleaning up after SIGTERM');
});

it('runs a real bundle under Node 24: a missing required input fails with one line', async () => {
  const result = await runBundle('rollback', { inputs: {} });
  expect(result.exitCode).toBe(1);
  expect(result.errors.map((e) => e.message)).toEqual(["Input 'cluster' is required and was not given"]);
});

it('parses both forms of file commands', () => {
  expect(parseFileCommand('a=1\nb<<EOF\nx\ny\nEOF\n')).toEqual({ a: '1', b: 'x\ny' });
});
