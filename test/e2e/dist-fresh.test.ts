import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../sandbox/run-bundle.js';
import { ACTIONS } from '../../scripts/actions.mjs';

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`],
  );
}

// A source change committed without its rebuilt bundle must never land: rebuild into a temporary folder and compare.
it('the committed dist/ bundles are what the sources build to', () => {
  const out = mkdtempSync(join(tmpdir(), 'dist-check-'));
  try {
    execFileSync(process.execPath, ['scripts/build.mjs', '--out', out], { cwd: REPO_ROOT, stdio: 'pipe' });
    const stale: string[] = [];
    for (const action of ACTIONS) {
      const built = filesUnder(join(out, action)).sort();
      const committed = filesUnder(join(REPO_ROOT, 'dist', action)).sort();
      for (const file of new Set([...built, ...committed])) {
        const a = built.includes(file) ? readFileSync(join(out, action, file)) : undefined;
        const b = committed.includes(file) ? readFileSync(join(REPO_ROOT, 'dist', action, file)) : undefined;
        if (!a || !b || !a.equals(b)) stale.push(`dist/${action}/${file}`);
      }
    }
    expect(stale).toEqual([]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 240_000);
