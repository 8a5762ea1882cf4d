import type { Simulator } from '../../sandbox/sim/model.js';
import { SEED } from '../../sandbox/sim/seed.js';
import { runBundle, type BundleResult } from '../../sandbox/run-bundle.js';
import { useSeededSim } from '../support/sim-fixtures.js';

/**
 * run-migration through its bundle, read the way the runner reads it (sandbox/runner-commands.ts models
 * actions/runner's parser): text from the task's log and from AWS never steers the runner, values are never printed.
 */

const REPO = '123456789012.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-backend';
const seeded = useSeededSim('all', undefined, { timeScale: 0.01 });
let sim: Simulator;
beforeAll(() => ({ sim } = seeded));

function run(inputs: Record<string, string | number | undefined>): Promise<BundleResult> {
  const base = {
    cluster: SEED.cluster,
    'task-definition': SEED.migrationFamily,
    service: SEED.service,
    'poll-interval-seconds': 0.05,
  };
  return runBundle('run-migration', { inputs: { ...base, ...inputs }, env: sim.env(), timeoutMs: 90_000 });
}

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
  expect(result.commands.filter((c) => !ours.includes(c.name))).toEqual([]);
  expect(result.masks).not.toContain('Applying');
  expect(result.warnings).toEqual([]);
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
