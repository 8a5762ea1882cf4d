import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readAwsConfig } from '../../../lib/aws/config.js';
import { Inputs } from '../../../lib/runner/inputs.js';
import { readRollbackInputs } from '../../../actions/rollback/inputs.js';

const read = (values: Record<string, string>) => readRollbackInputs(new Inputs((name) => values[name] ?? ''));

describe('readRollbackInputs', () => {
  it('applies the documented defaults', () => {
    expect(read({ cluster: 'c', service: 's' })).toMatchObject({
      to: { kind: 'previous' },
      wait: true,
      waitUntil: 'completed',
      timeoutSeconds: 1800,
      pollSeconds: 5,
      healthCheck: undefined,
      dryRun: false,
    });
  });
  it('reads every form of to, fractions of seconds and the health check', () => {
    const inputs = read({
      cluster: 'c',
      service: 's',
      to: 'web:3',
      'poll-interval-seconds': '0.1',
      'timeout-minutes': '0.5',
      'health-check-url': 'http://127.0.0.1:1/health',
      'dry-run': 'true',
    });
    expect(inputs).toMatchObject({
      to: { kind: 'family-revision', family: 'web', revision: 3 },
      pollSeconds: 0.1,
      timeoutSeconds: 30,
      healthCheck: { url: 'http://127.0.0.1:1/health', timeoutSeconds: 120 },
      dryRun: true,
    });
  });
  it.each([
    [{ service: 's' }, "Input 'cluster' is required and was not given"],
    [{ cluster: 'c', service: 's', to: 'latest' }, /^Input 'to' must be 'previous'/],
    [{ cluster: 'c', service: 's', wait: 'yes' }, "Input 'wait' must be 'true' or 'false', got 'yes'"],
    [{ cluster: 'c', service: 's', 'health-check-url': 'ftp://x' }, /^Input 'health-check-url' must be an http/],
    [{ cluster: 'c', service: 's', 'poll-interval-seconds': '0' }, /^Input 'poll-interval-seconds' must be a number/],
  ])('refuses %p with a one-line message naming the input', (values, message) => {
    expect(() => read(values as Record<string, string>)).toThrow(message);
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync(join(import.meta.dirname, '../../../actions/rollback/action.yml'), 'utf8')) as {
    inputs: Record<string, { description: string; default?: string; required?: boolean }>;
    outputs: Record<string, { description: string }>;
    runs: { using: string; main: string };
  };

  it('declares exactly the inputs the action reads, each described, and runs the bundle on node24', () => {
    const read = new Set<string>();
    const recording = new Inputs((name) => {
      read.add(name);
      return { cluster: 'c', service: 's' }[name] ?? '';
    });
    readRollbackInputs(recording);
    readAwsConfig(recording, { AWS_REGION: 'us-east-1' });
    expect(Object.keys(action.inputs).sort()).toEqual([...read].sort());
    for (const input of Object.values(action.inputs)) expect(input.description.length).toBeGreaterThan(10);
    expect(action.runs).toEqual({ using: 'node24', main: '../../dist/rollback/index.js' });
  });

  it('documents defaults that are the defaults the code applies', () => {
    const fromYaml = readRollbackInputs(
      new Inputs((name) => ({ cluster: 'c', service: 's' })[name] ?? action.inputs[name]?.default ?? ''),
    );
    expect(fromYaml).toEqual(read({ cluster: 'c', service: 's' }));
  });

  it('declares the four outputs', () => {
    expect(Object.keys(action.outputs).sort()).toEqual([
      'deployment-id',
      'from-task-definition-arn',
      'status',
      'to-task-definition-arn',
    ]);
  });
});
