import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../run-bundle.js';

/** The script the client team edits in place, under its version-numbered name, in the pipeline's in-place edit. */
export const EDITED_SCRIPT = 'js/index-0.0.3.js';

/**
 * A copy of the site (relative to the repository root) with one script edited in place under its name, as the
 * StartupWebApp client team commits (js/cart-0.0.1.js, css/main-0.0.2.css). `remove` deletes the copy.
 */
export function siteWithInPlaceEdit(site: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), 'sandbox-site-'));
  cpSync(join(REPO_ROOT, site), path, { recursive: true });
  const script = join(path, EDITED_SCRIPT);
  writeFileSync(script, `${readFileSync(script, 'utf8')}\n// edited in place, same name\n`);
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
