import type { Simulator } from '../../sandbox/sim/model.js';
import { SEED } from '../../sandbox/sim/seed.js';
import { runBundle, startBundle, type BundleResult } from '../../sandbox/run-bundle.js';
import { useSeededSim } from '../support/sim-fixtures.js';

/**
 * run-migration through its bundle, read the way the runner reads it (sandbox/runner-commands.ts models
 * actions/runner's parser): text from the task's log and from AWS never steers the runner, values are never printed.
 */

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-backend';
const seeded = useSeededSim('all', undefined, { timeScale: 0.01 });
let sim: Simulator;
beforeAll(() => ({ sim } = seeded));

const base = () => ({
  cluster: SEED.cluster,
  'task-definition': SEED.migrationFamily,
  service: SEED.service,
  'poll-interval-seconds': 0.05,
});

function run(inputs: Record<string, string | number | undefined>): Promise<BundleResult> {
  return runBundle('run-migration', { inputs: { ...base(), ...inputs }, env: sim.env(), timeoutMs: 90_000 });
}

const POLLUTED_FAMILY = 'Plain values under secret-looking names';

/** Each way a line of text becomes a command to the runner (actions/runner ActionCommand.cs, ProcessInvoker.cs). */
const HOSTILE = [
  'x ##[set-output name=injected;]yes',
  'progress\r::set-output name=injected::yes',
  '\u0085::warning::spoof',
  '\u00a0\u2028::error title=spoof::spoof',
  '  ::add-mask::Applying',
  'Applying ##[warning]spoof',
  '::stop-commands::pwned',
  '::SET-OUTPUT name=injected::yes',
  '::add-path::/tmp/evil',
];

test("a task's log lines that read as commands are printed as text: no output, annotation, mask or path", async () => {
  const lines = ['Operations to perform:', ...HOSTILE, 'Applying shop.0042_orders... FAILED'];
  sim.images.define(`${REPO}:hostile`, { commands: { '*': { logLines: lines, exitCode: 1, runSeconds: 5 } } });
  const result = await run({ image: `${REPO}:hostile` });
  expect(result.exitCode).toBe(1);
  expect(result.outputs.injected).toBeUndefined();
  expect(result.outputs['exit-code']).toBe('1'); // the action's own outputs still work
  const ours = ['error', 'group', 'endgroup', 'debug', 'add-mask'];
  // The seeded family is polluted as today's account is: the action's own warning about it is the one warning.
  const pollutedFamily = (c: { properties: Record<string, string> }) => c.properties.title === POLLUTED_FAMILY;
  expect(result.commands.filter((c) => !ours.includes(c.name) && !pollutedFamily(c))).toEqual([]);
  expect(result.masks).not.toContain('Applying');
  expect(result.warnings.map((w) => w.title)).toEqual([POLLUTED_FAMILY]);
  // the one annotation is the action's: the last lines are its data, escaped as the runner unescapes it
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]!.title).toBe('Migration failed');
  for (const line of HOSTILE) expect(result.errors[0]!.message).toContain(line);
  // and each line shows in the log as the text it is, on one line
  const log = result.lines.join('\n');
  for (const line of HOSTILE) expect(log).toContain(line.slice(line.search(/::|##\[/)));
  expect(result.lines).toContain('progress\\r::set-output name=injected::yes');
  expect(log).toContain('Applying shop.0042_orders... FAILED');
});

test('override values are never printed, whatever their names: names only in the log and the summary', async () => {
  sim.images.define(`${REPO}:ok`, { commands: { '*': { logLines: 3, exitCode: 0, runSeconds: 1 } } });
  const values = ['pw-of-db-pass', 'redis://:pw-in-url@cache:6379', 'https://key-of-sentry@o1.ingest.sentry.io/2'];
  const environment = `DB_PASS=${values[0]}\nREDIS_URL=${values[1]}\nSENTRY_DSN=${values[2]}`;
  const result = await run({ image: `${REPO}:ok`, environment });
  expect(result.exitCode).toBe(0);
  expect(result.lines).toContain('Environment overrides (names; values not shown): DB_PASS, REDIS_URL, SENTRY_DSN');
  for (const value of values) {
    expect(result.stdout).not.toContain(value.slice(0, 12));
    expect(result.summary).not.toContain(value.slice(0, 12));
  }
});

test('input errors never echo a value; a variable never closed in `command` is an input error, not a crash', async () => {
  const before = sim.calls('RunTask').length;
  const [environment, command] = await Promise.all([
    run({ environment: 'DATABASE_NAME=x\nDATABASE_PASSWORD: s3cr3t-value' }),
    run({ command: 'python manage.py shell -c ${X' }),
  ]);
  expect(environment.exitCode).toBe(1);
  expect(environment.errors.map((e) => e.message)).toEqual([
    "Input 'environment' line 2 must be KEY=VALUE with KEY a valid variable name: it has no '=' (the line is not shown, as it may hold a value)",
  ]);
  expect(environment.stdout).not.toContain('s3cr3t');
  expect(command.exitCode).toBe(1);
  expect(command.stderr).toBe(''); // no stack trace
  expect(command.errors.map((e) => e.message)).toEqual([
    "Input 'command' has a variable that is never closed ('${' without '}'): close it, or quote the word in '...'",
  ]);
  expect(sim.calls('RunTask').length).toBe(before);
});

test("report-last-lines false: an admin command's output stays out of the annotation and the summary", async () => {
  const secretOutput = ['Superuser created.', 'password: generated-Pw-0042'];
  sim.images.define(`${REPO}:admin`, { commands: { '*': { logLines: secretOutput, exitCode: 1, runSeconds: 1 } } });
  const result = await run({
    image: `${REPO}:admin`,
    command: 'python manage.py createsuperuser --noinput',
    'stream-logs': 'false',
    'report-last-lines': 'false',
  });
  expect(result.exitCode).toBe(1);
  expect(result.errors).toHaveLength(1);
  expect(result.errors[0]!.message).toMatch(
    /^Container migration exited with code 1\n\nThe task's log lines are left out/,
  );
  expect(result.stdout).not.toContain('generated-Pw-0042');
  expect(result.summary).not.toContain('generated-Pw-0042');
  expect(result.summary).toContain('Command createsuperuser failed');
});

test('text from AWS in the summary is escaped: a Markdown link or HTML in a stopped reason stays text', async () => {
  const image = `${REPO}:[click](https://evil.example/x)<img/src=x>`;
  sim.images.define(image, { pull: 'fail' });
  const result = await run({ image });
  expect(result.exitCode).toBe(1);
  expect(result.errors[0]!.message).toContain('[click](https://evil.example/x)<img/src=x>'); // an annotation is text
  expect(result.summary).toContain('\\[click\\](https://evil.example/x)&lt;img/src=x>');
  expect(result.summary).not.toMatch(/(?<!\\)\[click(?<!\\)\]\(|<img/);
});

test('cancel while StopTask gets no answer: the stop is given up in time and the run ends by itself', async () => {
  sim.images.define(`${REPO}:long`, { commands: { '*': { logLines: 5, exitCode: 0, runSeconds: 100_000 } } });
  const running = startBundle('run-migration', {
    inputs: { ...base(), image: `${REPO}:long` },
    env: sim.env(),
    timeoutMs: 60_000, // a safety net: without a timeout on StopTask the run would hang until this kills it
  });
  await running.waitForLine(/Task RUNNING after/);
  sim.faults.set({ hangRate: 1, operations: ['StopTask'] });
  try {
    running.signal('SIGINT');
    const result = await running.result;
    expect(result.signal).toBeNull(); // it exited, nothing had to kill it
    expect(result.exitCode).toBe(1);
    expect(result.warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(/^StopTask failed \(no answer within 3 s\): task \w+ may still be running/),
    );
    expect(result.errors.map((e) => e.title)).toEqual(['Migration cancelled']);
  } finally {
    sim.faults.clear();
  }
});
