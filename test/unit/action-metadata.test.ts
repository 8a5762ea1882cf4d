import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';
import { ACTIONS } from '../../scripts/actions.mjs';

/** Each action.yml is what the runner needs (node24, its bundle) and documents every input the code reads. */

interface Metadata {
  name?: string;
  description?: string;
  runs?: { using?: string; main?: string };
  inputs?: Record<string, { description?: string; required?: boolean; default?: unknown }>;
  outputs?: Record<string, { description?: string }>;
}

const SHARED_AWS_INPUTS = { 'aws-region': '', 'max-attempts': '5', 'retry-mode': 'adaptive' };
const READ =
  /\.(?:string|optionalString|boolean|number|optionalNumber|optionalUrl|duration|choice|keyValues|list|rules|raw)\(\s*'([a-z0-9-]+)'/g;

const metadataOf = (action: string) =>
  parse(readFileSync(join(REPO_ROOT, 'actions', action, 'action.yml'), 'utf8')) as Metadata;

/** Default cell of each input row of the README's tables (`| \`a\`, \`b\` | default | ... |`), by input name. */
function readmeDefaults(readme: string): Map<string, string> {
  const cells = new Map<string, string>();
  for (const line of readme.split('\n')) {
    const row = /^\| ((?:`[a-z0-9-]+`(?:, )?)+) \|\s*([^|]*?)\s*\|/.exec(line);
    if (!row) continue;
    for (const name of (row[1] as string).matchAll(/`([a-z0-9-]+)`/g)) cells.set(name[1] as string, row[2] as string);
  }
  return cells;
}

/** Input names read by the action's own folder (the shared AWS inputs are checked separately). */
function inputsReadBy(action: string): string[] {
  const dir = join(REPO_ROOT, 'actions', action);
  const source = readdirSync(dir)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n');
  return [...new Set([...source.matchAll(READ)].map((match) => match[1] as string))].sort();
}

describe.each(ACTIONS)('actions/%s/action.yml', (action) => {
  const metadata = metadataOf(action);

  it('runs the committed bundle on node24', () => {
    expect(metadata.runs).toEqual({ using: 'node24', main: `../../dist/${action}/index.js` });
    expect(metadata.name).toBeTruthy();
    expect(metadata.description).toBeTruthy();
  });

  it('describes every input and output', () => {
    const undocumented = [
      ...Object.entries(metadata.inputs ?? {}).filter(([, spec]) => !spec?.description),
      ...Object.entries(metadata.outputs ?? {}).filter(([, spec]) => !spec?.description),
    ].map(([name]) => name);
    expect(undocumented).toEqual([]);
  });

  it('declares every input its code reads', () => {
    const read = inputsReadBy(action);
    expect(read.length).toBeGreaterThan(3);
    expect(read.filter((name) => !(name in (metadata.inputs ?? {})))).toEqual([]);
  });

  it('declares the shared AWS inputs with the shared defaults', () => {
    for (const [name, value] of Object.entries(SHARED_AWS_INPUTS)) {
      expect([name, metadata.inputs?.[name]?.default?.toString()]).toEqual([name, value]);
    }
  });

  it('has a README listing every input with the action.yml default, and every output', () => {
    const readme = readFileSync(join(REPO_ROOT, 'actions', action, 'README.md'), 'utf8');
    const cells = readmeDefaults(readme);
    const wrong = Object.entries(metadata.inputs ?? {})
      .filter(([name, spec]) => {
        const cell = cells.get(name);
        const value = String(spec.default ?? '');
        return cell === undefined || (value !== '' && !cell.includes(`\`${value}\``));
      })
      .map(
        ([name, spec]) =>
          `${name}: action.yml '${String(spec.default ?? '')}', README '${cells.get(name) ?? 'missing'}'`,
      );
    expect(wrong).toEqual([]);
    const outputs = readme.slice(readme.indexOf('## Outputs'));
    expect(Object.keys(metadata.outputs ?? {}).filter((name) => !outputs.includes(`\`${name}\``))).toEqual([]);
  });
});
