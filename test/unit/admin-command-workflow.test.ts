import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { errorLines, loadWorkflow, runStepScript, stepOf } from '../support/workflow-step.js';

/** The admin-command reusable workflow and its example caller (issue 13 point 3). */

const TENANTS = ['startupwebapp_prod', 'healthtech_experiment', 'fintech_experiment'];
const workflow = loadWorkflow('.github/workflows/admin-command.yml');
const example = loadWorkflow('examples/backend/run-admin-command.yml');
const inputs = (workflow.on.workflow_call as { inputs: Record<string, { default?: unknown; required?: boolean }> })
  .inputs;
const runStep = workflow.jobs.run!.steps!.find((step) => step.uses?.endsWith('/actions/run-migration'))!;

describe('the admin-command workflow', () => {
  test('runs the chosen command through run-migration on the image read from the service, in its own family', () => {
    expect(runStep.uses).toBe('./.deploy-suite/actions/run-migration');
    expect(runStep.with).toMatchObject({
      image: '${{ steps.image.outputs.image }}',
      command: '${{ needs.plan.outputs.command-line }}',
      environment: 'DATABASE_NAME=${{ needs.plan.outputs.database }}',
      secrets: '${{ inputs.secrets }}',
      'task-definition': '${{ inputs.task-definition }}',
      family: '${{ inputs.family }}',
    });
    expect(inputs['task-definition']?.default).toBe('startupwebapp-migration-task');
    expect(inputs.container?.default).toBe('migration');
    expect(inputs['service-container']?.default).toBe('web');
    expect(inputs.family?.default).toBe('startupwebapp-admin-task');
    expect(inputs.family?.default).not.toBe(inputs['task-definition']?.default);
    const steps = workflow.jobs.run!.steps!;
    expect(steps.findIndex((s) => s.id === 'image')).toBeLessThan(steps.indexOf(runStep));
  });

  test('defaults to today’s commands and tenants; one admin command at a time, in a group of its own', () => {
    expect(String(inputs.commands?.default).trim().split('\n')).toEqual([
      'createsuperuser: python manage.py createsuperuser --noinput',
      'collectstatic: python manage.py collectstatic --noinput',
    ]);
    expect(String(inputs.databases?.default).split(' ')).toEqual(TENANTS);
    expect(inputs.command?.required).toBe(true);
    expect(workflow.jobs.run!.concurrency).toEqual({
      group: '${{ inputs.environment }}-admin-command',
      'cancel-in-progress': false,
    });
    // Not a group of the deploy or the migrations: a third kind of pending job there would cancel theirs.
    const groups = ['migrate.yml', 'deploy-backend.yml', 'rollback.yml'].flatMap((file) =>
      Object.values(loadWorkflow(`.github/workflows/${file}`).jobs).map((job) => JSON.stringify(job.concurrency ?? '')),
    );
    expect(groups.some((group) => group.includes('admin-command'))).toBe(false);
  });

  describe('input validation', () => {
    const step = stepOf(workflow, 'plan', (s) => s.id === 'inputs');
    const good = {
      COMMAND: 'createsuperuser',
      COMMANDS: String(inputs.commands?.default),
      DATABASE: 'healthtech_experiment',
      DATABASES: String(inputs.databases?.default),
      SERVICE_CONTAINER: 'web',
      TIMEOUT_MINUTES: '15',
    };

    test('a listed command and tenant give the command line and the database', () => {
      const result = runStepScript(step, good);
      expect(result.status).toBe(0);
      expect(result.outputs).toEqual({
        'command-line': 'python manage.py createsuperuser --noinput',
        database: 'healthtech_experiment',
      });
      const collect = runStepScript(step, {
        ...good,
        COMMAND: 'collectstatic',
        DATABASES: 'a_db, healthtech_experiment',
      });
      expect(collect.outputs['command-line']).toBe('python manage.py collectstatic --noinput');
    });

    test.each([
      ['COMMAND', 'flush', 'command'],
      ['COMMAND', 'createsuperuser; rm -rf /', 'command'],
      ['COMMANDS', 'createsuperuser python manage.py createsuperuser', 'commands'],
      ['COMMANDS', 'createsuperuser:   ', 'commands'],
      ['COMMANDS', '# nothing', 'commands'],
      ['DATABASE', 'other_db', 'database'],
      ['DATABASE', 'startupwebapp_prod`id`', 'database'],
      ['SERVICE_CONTAINER', "web'] | [0]", 'service-container'],
      ['TIMEOUT_MINUTES', '60', 'timeout-minutes'],
    ])('%s=%j is refused with one line naming the input', (name, value, input) => {
      const result = runStepScript(step, { ...good, [name]: value });
      expect(result.status).toBe(1);
      expect(errorLines(result.stdout)).toHaveLength(1);
      expect(errorLines(result.stdout)[0]).toContain(`Input '${input}'`);
      expect(result.outputs['command-line']).toBeUndefined();
    });
  });

  describe('reading the image the service runs (aws replaced by a fake)', () => {
    const step = stepOf(workflow, 'run', (s) => s.id === 'image');
    const bin = mkdtempSync(join(tmpdir(), 'fake-aws-'));
    const calls = join(bin, 'calls');
    writeFileSync(
      join(bin, 'aws'),
      [
        '#!/bin/bash',
        `printf '%s\\n' "$*" >> "${calls}"`,
        'case "$2" in',
        '  describe-services) echo "${FAKE_TASK_DEFINITION:-None}" ;;',
        '  describe-task-definition) echo "${FAKE_IMAGE:-None}" ;;',
        'esac',
      ].join('\n'),
    );
    chmodSync(join(bin, 'aws'), 0o755);
    const env = { CLUSTER: 'startupwebapp-cluster', SERVICE: 'startupwebapp-service', CONTAINER: 'web' };
    const arn = 'arn:aws:ecs:us-east-1:853463362083:task-definition/startupwebapp-service-task:42';
    const image = '853463362083.dkr.ecr.us-east-1.amazonaws.com/startupwebapp-backend:4f2c9e1';

    test('the service’s task definition, then its web container’s image', () => {
      writeFileSync(calls, '');
      const result = runStepScript(step, { ...env, FAKE_TASK_DEFINITION: arn, FAKE_IMAGE: image }, bin);
      expect(result.status).toBe(0);
      expect(result.outputs.image).toBe(image);
      expect(result.stdout).toContain(
        `Service startupwebapp-service runs startupwebapp-service-task:42: container web on ${image}`,
      );
      const [services, definition] = readFileSync(calls, 'utf8').trim().split('\n');
      expect(services).toMatch(
        /^ecs describe-services --cluster startupwebapp-cluster --services startupwebapp-service /,
      );
      expect(definition).toMatch(new RegExp(`^ecs describe-task-definition --task-definition ${arn} `));
      expect(definition).toContain("containerDefinitions[?name=='web'].image");
    });

    test('no such service, or no such container: one error line, no image', () => {
      const noService = runStepScript(step, env, bin);
      expect([noService.status, errorLines(noService.stdout)]).toEqual([
        1,
        [
          "::error title=Service not found::Service 'startupwebapp-service' is not an ACTIVE service of cluster 'startupwebapp-cluster'",
        ],
      ]);
      const noContainer = runStepScript(step, { ...env, FAKE_TASK_DEFINITION: arn }, bin);
      expect(noContainer.status).toBe(1);
      expect(errorLines(noContainer.stdout)[0]).toContain("has no container 'web'");
      expect(noContainer.outputs.image).toBeUndefined();
    });
  });
});

describe('the run-admin-command example', () => {
  const dispatch = (example.on.workflow_dispatch as { inputs: Record<string, Record<string, unknown>> }).inputs;

  test('offers today’s commands and tenants, by hand only', () => {
    expect(Object.keys(example.on)).toEqual(['workflow_dispatch']);
    expect(dispatch.command).toMatchObject({ type: 'choice', options: ['createsuperuser', 'collectstatic'] });
    expect(dispatch.database).toMatchObject({ type: 'choice', options: TENANTS, default: TENANTS[0] });
    const job = example.jobs.admin!;
    expect(job.uses).toMatch(/\/\.github\/workflows\/admin-command\.yml@[0-9a-f]{40}$/);
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const commands = String(job.with?.commands)
      .trim()
      .split('\n')
      .map((line) => line.split(':')[0]);
    expect(commands).toEqual(dispatch.command!.options);
  });

  test('gives the superuser details as Secrets Manager references, never values', () => {
    const lines = String(example.jobs.admin!.with?.secrets).trim().split('\n');
    expect(lines.map((line) => line.split('=')[0])).toEqual([
      'DJANGO_SUPERUSER_USERNAME',
      'DJANGO_SUPERUSER_EMAIL',
      'DJANGO_SUPERUSER_PASSWORD',
    ]);
    for (const line of lines) expect(line).toMatch(/^[A-Z_]+=\$\{\{ vars\.DB_SECRET_ARN \}\}:superuser_[a-z]+::$/);
    expect(JSON.stringify(example)).not.toMatch(/secrets\.[A-Z_]*(PASSWORD|SUPERUSER)/);
  });
});
