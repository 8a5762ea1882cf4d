import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT as ROOT } from '../../sandbox/run-bundle.js';

/**
 * Every third-party action in the workflows and examples is one of the pins in .github/action-pins.json, at the SHA
 * recorded there (checked against the fetched release tag), and runs on Node 24 (or is composite/docker).
 */

interface Pin {
  action: string;
  tag: string;
  sha: string;
  runtime: string;
  checked: string;
}

const SUITE_WORKFLOWS = /^[\w.-]+\/startupwebapp-deploy-actions\/(?:\.github\/workflows|actions)\//;
const RUNTIMES = ['node24', 'composite', 'docker'];

const pins = (JSON.parse(readFileSync(join(ROOT, '.github/action-pins.json'), 'utf8')) as { pins: Pin[] }).pins;

function yamlFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => join(dir, name));
}

interface Use {
  file: string;
  target: string;
  comment: string;
}

/** Every `uses:` line of a workflow's text: the target and the comment after it. */
export function usesOf(file: string, text: string): Use[] {
  return [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)[ \t]*(?:#\s*(\S+))?/gm)].map((m) => ({
    file,
    target: m[1] as string,
    comment: m[2] ?? '',
  }));
}

/** What is wrong with one `uses:` against the pin list; undefined when it is a listed pin (or local, or the suite). */
export function pinProblem(use: Use, list: Pin[]): string | undefined {
  if (use.target.startsWith('./') || SUITE_WORKFLOWS.test(use.target)) return undefined;
  const [action, ref] = use.target.split('@');
  const pin = list.find((p) => p.action === action);
  if (!pin) return `${use.file}: ${use.target} is not in .github/action-pins.json`;
  if (ref !== pin.sha) return `${use.file}: ${action}@${ref} is not the pinned ${pin.sha}`;
  if (use.comment !== pin.tag) return `${use.file}: ${action} says ${use.comment || 'no tag'}, pinned ${pin.tag}`;
  return undefined;
}

const uses = [...yamlFiles('.github/workflows'), ...yamlFiles('examples')].flatMap((file) =>
  usesOf(file, readFileSync(join(ROOT, file), 'utf8')),
);

test('every pin is a full commit SHA of a release tag, on Node 24 or composite/docker, checked on a date', () => {
  expect(pins.length).toBeGreaterThan(0);
  for (const pin of pins) {
    expect(pin).toEqual({
      action: expect.stringMatching(/^[\w.-]+\/[\w.-]+$/),
      tag: expect.stringMatching(/^v\d+\.\d+\.\d+$/),
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
      runtime: expect.stringMatching(new RegExp(`^(${RUNTIMES.join('|')})$`)),
      checked: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
  }
  expect(new Set(pins.map((p) => p.action)).size).toBe(pins.length);
});

test('every third-party uses: in the workflows and examples is a listed pin at its SHA and tag', () => {
  expect(uses.length).toBeGreaterThan(10);
  expect(uses.map((use) => pinProblem(use, pins)).filter(Boolean)).toEqual([]);
});

test('every listed pin is used somewhere (no stale entries)', () => {
  const used = new Set(uses.map((use) => use.target.split('@')[0]));
  expect(pins.map((p) => p.action).filter((action) => !used.has(action))).toEqual([]);
});

test('the Node 20 releases the workflows used before are gone', () => {
  const node20 = [
    'aws-actions/configure-aws-credentials@a03048d87541d1d9fcf2ecf528a4a65ba9bd7838',
    'aws-actions/amazon-ecr-login@062b18b96a7aff071d4dc91bc00c4c1a7945b076',
    'docker/setup-buildx-action@e468171a9de216ec08956ac3ada2f0791b6bd435',
    'docker/build-push-action@263435318d21b8e681c14492fe198d362a7d2c83',
  ];
  expect(uses.filter((use) => node20.includes(use.target))).toEqual([]);
});

test('pinProblem flags an unlisted action, another SHA and a tag comment that disagrees', () => {
  const list: Pin[] = [{ action: 'o/a', tag: 'v1.2.3', sha: 'a'.repeat(40), runtime: 'node24', checked: '2026-01-01' }];
  const use = (target: string, comment = 'v1.2.3') => pinProblem({ file: 'f.yml', target, comment }, list);
  expect(use(`o/a@${'a'.repeat(40)}`)).toBeUndefined();
  expect(use('./.deploy-suite/actions/rollback', '')).toBeUndefined();
  expect(use(`x/startupwebapp-deploy-actions/.github/workflows/migrate.yml@${'0'.repeat(40)}`)).toBeUndefined();
  expect(use(`x/startupwebapp-deploy-actions/actions/deploy-frontend@${'0'.repeat(40)}`)).toBeUndefined();
  expect(use(`o/b@${'a'.repeat(40)}`)).toContain('is not in .github/action-pins.json');
  expect(use(`o/a@${'b'.repeat(40)}`)).toContain('is not the pinned');
  expect(use('o/a@v1')).toContain('is not the pinned');
  expect(use(`o/a@${'a'.repeat(40)}`, 'v1.2.4')).toContain('says v1.2.4, pinned v1.2.3');
  expect(usesOf('f.yml', '      - uses: o/a@x # v1.0.0\n        uses: ./y\n')).toEqual([
    { file: 'f.yml', target: 'o/a@x', comment: 'v1.0.0' },
    { file: 'f.yml', target: './y', comment: '' },
  ]);
});
