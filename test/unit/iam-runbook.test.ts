import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { readRoles } from '../support/iam-actions.js';

/**
 * docs/workflows.md is one ordered runbook (issue 20 points 3 and 4): the IAM it creates is docs/iam's, every value the
 * examples read is set, each step says how to see that it worked, and the docs cite only this repository's files.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const RUNBOOK = readFileSync(join(ROOT, 'docs/workflows.md'), 'utf8');
const ROLES = readRoles();

/** The numbered steps of the runbook (`## 1. …`), in order, with their text. */
const steps = [
  ...RUNBOOK.split(/^# Part 2/m)[0]!.matchAll(/^## (\d+)\. (.*)\n([\s\S]*?)(?=^## \d+\. |(?![\s\S]))/gm),
].map(([, number, title, body]) => ({ number: Number(number), title: title!, body: body! }));
const step = (pattern: RegExp) => {
  const found = steps.find((s) => pattern.test(s.title));
  if (!found) throw new Error(`No runbook step titled ${pattern}`);
  return found;
};

test('the runbook is one numbered sequence, each step with its check', () => {
  expect(steps.map((s) => s.number)).toEqual(steps.map((_, i) => i + 1));
  expect(steps.length).toBeGreaterThanOrEqual(10);
  expect(steps.filter((s) => !/\*\*Check:?\*\*/.test(s.body)).map((s) => s.title)).toEqual([]);
});

test('the order of issue 20: suite, OIDC provider, roles, variables, environments, frontend, backend, ECR, old keys', () => {
  const order = [
    /suite, published and tagged/,
    /OIDC provider/,
    /roles/,
    /Variables/,
    /environments/,
    /frontend caller/,
    /backend callers/,
    /Immutable ECR tags/,
    /old credentials/,
  ].map((pattern) => step(pattern).number);
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(step(/old credentials/).number).toBe(steps.length);
});

test('the OIDC provider is created with the exact command', () => {
  expect(step(/OIDC provider/).body).toContain(
    'aws iam create-open-id-connect-provider \\\n  --url https://token.actions.githubusercontent.com \\\n  --client-id-list sts.amazonaws.com',
  );
});

test.each(Object.entries(ROLES))('%s is created with its trust policy and each of its policies', (role, spec) => {
  const body = step(/roles/).body;
  expect(body).toContain(`npm run --silent trust-policies -- $SHA --out trust/`);
  expect(body).toContain(
    `aws iam create-role --role-name ${role} --assume-role-policy-document file://trust/${role}.json`,
  );
  for (const file of spec.policies) {
    expect(body).toContain(
      `aws iam put-role-policy --role-name ${role} --policy-name ${file.replace(/\.json$/, '')} --policy-document file://docs/iam/${file}`,
    );
    expect(existsSync(join(ROOT, 'docs/iam', file))).toBe(true);
  }
});

test('every variable and secret the examples read, and each role variable, is set in the variables step', () => {
  const examples = readdirSync(join(ROOT, 'examples'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yml'))
    .map((f) => readFileSync(join(ROOT, 'examples', f), 'utf8'))
    .join('\n');
  const read = new Set([...examples.matchAll(/\b(?:vars|secrets)\.([A-Z0-9_]+)/g)].map((m) => m[1]!));
  const names = [
    ...read,
    ...Object.values(ROLES).map((r) => r.variable),
    'CLOUDFRONT_DISTRIBUTION_ID',
    'DB_SECRET_ARN',
    'FRONTEND_APP_CLIENT_ID',
    'FRONTEND_APP_PRIVATE_KEY',
  ];
  const body = step(/Variables/).body;
  expect(names.filter((name) => !body.includes(`\`${name}\``))).toEqual([]);
  expect(body).toContain('`E2IQ9KG6S4Y7R3`');
});

test('the environments step restricts production to master', () => {
  const body = step(/environments/).body;
  expect(body).toContain('Selected\nbranches: `master`');
  expect(body).toContain('deployment-branch-policies -f name=master -f type=branch');
});

test('the last step removes the access keys, the FRONTEND_REPO_TOKEN and the IAM user', () => {
  const body = step(/old credentials/).body;
  for (const text of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'FRONTEND_REPO_TOKEN',
    'aws iam delete-access-key',
    'aws iam delete-user',
  ]) {
    expect([text, body.includes(text)]).toEqual([text, true]);
  }
});

test('upgrading moves the trust policies with the callers, through npm run trust-policies', () => {
  const upgrade = RUNBOOK.split(/^## Upgrading the suite$/m)[1]!.split(/^## /m)[0]!;
  expect(upgrade).toContain('npm run --silent trust-policies -- $NEW --also $OLD --out trust/');
  expect(upgrade).toContain('npm run --silent trust-policies -- $NEW --out trust/');
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  expect(scripts['trust-policies']).toBe('tsx scripts/trust-policies.ts');
});

test('README.md and docs/ link only to files of this repository, and name no path outside it', () => {
  const docs = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.md'))
      .map((f) => join('docs', f)),
  ];
  const problems: string[] = [];
  for (const doc of docs) {
    const text = readFileSync(join(ROOT, doc), 'utf8');
    for (const [, target] of text.matchAll(/\]\((?!https?:|#)([^)#\s]+)[^)]*\)/g)) {
      const path = resolve(ROOT, dirname(doc), target!);
      if (relative(ROOT, path).startsWith('..') || !existsSync(path)) problems.push(`${doc}: ${target}`);
    }
    if (/\.\.\/shared|\/work\//.test(text)) problems.push(`${doc}: names a path outside the repository`);
  }
  expect(problems).toEqual([]);
});
