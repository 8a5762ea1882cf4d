import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Inputs, InputError } from '../../../lib/runner/inputs.js';
import { readDeployInputs } from '../../../actions/deploy-service/inputs.js';

const workspace = mkdtempSync(join(tmpdir(), 'deploy-inputs-'));
writeFileSync(join(workspace, 'broken.json'), '{"family": "web", ');
writeFileSync(
  join(workspace, 'value.json'),
  '{"family": "web",\n "environment": [{"name": "DB_PASS", "value": s3cr3t}]}',
);
writeFileSync(join(workspace, 'empty.json'), '{"family": "web", "containerDefinitions": []}');
writeFileSync(
  join(workspace, 'wrapped.json'),
  JSON.stringify({ taskDefinition: { family: 'web', containerDefinitions: [{ name: 'app', image: 'app:2' }] } }),
);

function read(values: Record<string, string>) {
  const inputs = new Inputs(
    (name) => ({ cluster: 'c', service: 's', 'aws-region': 'us-east-1', ...values })[name] ?? '',
  );
  return readDeployInputs(inputs, { workspace });
}

function errorOf(values: Record<string, string>): string {
  try {
    read(values);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('readDeployInputs', () => {
  it('reads an image deploy with the documented defaults', () => {
    expect(read({ image: 'repo/app:2' })).toMatchObject({
      source: { kind: 'image', image: 'repo/app:2' },
      forceNewDeployment: false,
      wait: true,
      waitUntil: 'completed',
      timeoutSeconds: 1800,
      pollSeconds: 5,
      onFailure: 'fail',
      waitForIdle: true,
      healthCheck: undefined,
    });
  });

  it('accepts fractional timeouts and polls, up to 720 minutes', () => {
    expect(read({ image: 'a:1', 'timeout-minutes': '0.5', 'poll-interval-seconds': '0.1' })).toMatchObject({
      timeoutSeconds: 30,
      pollSeconds: 0.1,
    });
    expect(read({ image: 'a:1', 'timeout-minutes': '720' }).timeoutSeconds).toBe(43200);
    expect(errorOf({ image: 'a:1', 'timeout-minutes': '721' })).toMatch(/'timeout-minutes'/);
    expect(errorOf({ image: 'a:1', 'poll-interval-seconds': '0' })).toMatch(/'poll-interval-seconds'/);
    expect(errorOf({ image: 'a:1', 'desired-count': '-1' })).toMatch(/'desired-count'/);
  });

  it('needs exactly one of image or task-definition unless force-new-deployment alone', () => {
    expect(errorOf({ image: 'a:1', 'task-definition': 'wrapped.json' })).toMatch(/both given/);
    expect(errorOf({})).toMatch(/'image'.*'task-definition'.*force-new-deployment/);
    expect(read({ 'force-new-deployment': 'true' }).source).toEqual({ kind: 'redeploy' });
    expect(errorOf({ 'force-new-deployment': 'true', environment: 'A=1' })).toMatch(/'environment'/);
  });

  it('rejects a health-check URL that is not http(s)', () => {
    expect(errorOf({ image: 'a:1', 'health-check-url': 'ftp://x/health' })).toMatch(/'health-check-url'/);
    expect(read({ image: 'a:1', 'health-check-url': 'https://x/health' }).healthCheck).toEqual({
      url: 'https://x/health',
      timeoutSeconds: 120,
    });
  });

  it('reads wait-until, completed or serving', () => {
    expect(read({ image: 'a:1', 'wait-until': 'serving' }).waitUntil).toBe('serving');
    expect(errorOf({ image: 'a:1', 'wait-until': 'stable' })).toBe(
      "Input 'wait-until' must be one of completed, serving, got 'stable'",
    );
  });

  it('rejects unknown on-failure values and bad environment lines', () => {
    expect(errorOf({ image: 'a:1', 'on-failure': 'retry' })).toMatch(/'on-failure' must be one of fail, rollback/);
    expect(errorOf({ image: 'a:1', environment: 'NOT A PAIR' })).toMatch(/'environment' line 1/);
  });

  it('reads a task-definition file, also as describe-task-definition output', () => {
    expect(read({ 'task-definition': 'wrapped.json' }).source).toMatchObject({
      kind: 'file',
      definition: { family: 'web', containerDefinitions: [{ name: 'app', image: 'app:2' }] },
    });
  });

  it('names the problem with a task-definition file', () => {
    expect(errorOf({ 'task-definition': 'missing.json' })).toMatch(/cannot read 'missing.json' \(ENOENT\)/);
    expect(errorOf({ 'task-definition': 'broken.json' })).toMatch(
      /'broken.json' is not valid JSON \(at line 1 column 19\)$/,
    );
    // JSON.parse's own message would quote the text around the error, here a value
    expect(errorOf({ 'task-definition': 'value.json' })).toBe(
      "Input 'task-definition': 'value.json' is not valid JSON (at line 2 column 47)",
    );
    expect(errorOf({ 'task-definition': 'empty.json' })).toMatch(/has no 'containerDefinitions'/);
  });
});

describe('readDeployInputs: tags', () => {
  it('reads KEY=VALUE tags for the new revision', () => {
    expect(read({ image: 'repo/app:2', tags: `frontend-commit=${'a'.repeat(40)}` }).tags).toEqual([
      { name: 'frontend-commit', value: 'a'.repeat(40) },
    ]);
  });

  it.each([
    [{ 'force-new-deployment': 'true', tags: 'a=b' }, "Input 'tags' needs 'image' or 'task-definition'"],
    [{ image: 'repo/app:2', tags: 'aws:owner=x' }, "Input 'tags' line 1"],
    [{ image: 'repo/app:2', tags: 'k=a;b' }, "Input 'tags': tag 'k' must have a key"],
  ])('refuses %j naming the input', (values, message) => {
    expect(errorOf(values)).toContain(message);
  });
});
