import { planAgainstBase } from '../../../actions/deploy-frontend/against-base.js';
import { cacheControlFor, cacheControlRules } from '../../../actions/deploy-frontend/cache-rules.js';
import {
  againstBaseDeletesRefusal,
  againstBaseLines,
  againstBaseVerdict,
} from '../../../actions/deploy-frontend/log.js';
import { buildCheckSummary } from '../../../actions/deploy-frontend/summary.js';
import { changedLongLived, type LocalObject } from '../../../actions/deploy-frontend/upload-plan.js';
import { parseRules } from '../../../lib/runner/inputs.js';
import { escapeMarkdown } from '../../../lib/runner/summary.js';

/** A file as the deploy describes it: its headers from the rules, its hashes from its content. */
function file(key: string, content: string, rules = cacheControlRules([])): LocalObject {
  return {
    key,
    absolutePath: `/site/${key}`,
    size: content.length,
    md5: `md5:${content}`.padEnd(32, '0').replace(/[^0-9a-f]/g, 'a'),
    sha256: `sha:${content}`,
    cacheControl: cacheControlFor(rules, key),
    contentType: 'text/javascript; charset=utf-8',
  };
}

describe('the pull-request check: the head planned onto the base branch as a deploy would', () => {
  const base = [file('js/cart-0.0.1.js', 'v1'), file('js/app.3f9a2c1b.js', 'v1'), file('js/old-0.0.1.js', 'v1')];

  it('passes in-place edits of versioned names: they revalidate, the deploy takes them', () => {
    const head = [file('js/cart-0.0.1.js', 'v2'), file('js/app.3f9a2c1b.js', 'v1'), file('js/new-0.0.1.js', 'v1')];
    const plan = planAgainstBase(head, base);
    expect(changedLongLived(plan)).toEqual([]);
    expect(plan.changes.map((c) => [c.key, c.reason])).toEqual([
      ['js/cart-0.0.1.js', 'content changed'],
      ['js/new-0.0.1.js', 'new'],
    ]);
    expect(plan.unchanged).toEqual(['js/app.3f9a2c1b.js']);
    expect(plan.deletes).toEqual(['js/old-0.0.1.js']);
  });

  it('flags changed content under a content-hashed name, and only that', () => {
    const head = [file('js/cart-0.0.1.js', 'v2'), file('js/app.3f9a2c1b.js', 'v2')];
    expect(changedLongLived(planAgainstBase(head, base)).map((c) => c.key)).toEqual(['js/app.3f9a2c1b.js']);
  });

  it('passes a rebuilt bundle under its new hash', () => {
    const head = [file('js/cart-0.0.1.js', 'v1'), file('js/app.9e8d7c6b.js', 'v2')];
    const plan = planAgainstBase(head, base);
    expect(changedLongLived(plan)).toEqual([]);
    expect(plan.deletes).toContain('js/app.3f9a2c1b.js');
  });

  it('follows the user’s rules, as the deploy does: a long-lived rule makes a versioned name long-lived', () => {
    const rules = cacheControlRules(parseRules('cache-control', 'js/vendor/**: public, max-age=604800'));
    const withRules = [file('js/vendor/lib-1.0.js', 'v1', rules)];
    const head = [file('js/vendor/lib-1.0.js', 'v2', rules)];
    expect(changedLongLived(planAgainstBase(head, withRules)).map((c) => c.key)).toEqual(['js/vendor/lib-1.0.js']);
  });

  it('has nothing to flag against an empty base (the site’s first pull request)', () => {
    const plan = planAgainstBase([file('js/app.3f9a2c1b.js', 'v1')], []);
    expect(changedLongLived(plan)).toEqual([]);
    expect(plan.changes.map((c) => c.reason)).toEqual(['new']);
  });

  it('says in one line which file, what the deploy would do and to rename it with a new hash', () => {
    const refused = changedLongLived(planAgainstBase([file('js/app.3f9a2c1b.js', 'v2')], base));
    const failing = againstBaseVerdict(refused, 'fail');
    expect(failing).toContain('js/app.3f9a2c1b.js');
    expect(failing).toContain('The deploy would refuse them');
    expect(failing).toContain('Rename each with a new content hash');
    expect(failing).toContain('js/app.<new hash>.js');
    expect(failing).not.toContain('\n');
    expect(againstBaseVerdict(refused, 'warn')).toContain('may keep the old copy for up to 1 year');
  });

  it('lists each change and the counts, and sums it up in the job summary', () => {
    const plan = planAgainstBase([file('js/cart-0.0.1.js', 'v2'), file('js/app.3f9a2c1b.js', 'v2')], base);
    const lines = againstBaseLines(plan);
    expect(lines.find((l) => l.includes('js/app.3f9a2c1b.js'))).toContain('LONG-LIVED NAME CHANGED IN PLACE');
    expect(lines).toContain('- js/old-0.0.1.js (not in this branch)');
    const verdict = againstBaseVerdict(changedLongLived(plan), 'fail');
    const summary = buildCheckSummary({
      source: 'site',
      base: 'base',
      plan,
      rules: ['Cache-Control  **: public, max-age=3600'],
      longLivedNames: 1,
      verdict,
      changedImmutable: 'fail',
    }).render();
    expect(summary).toContain('## Frontend check: a long-lived name changed content');
    expect(summary).toContain(escapeMarkdown(verdict)); // outside text (file names) in it: shown as text
    expect(summary).toContain('| `js/app.3f9a2c1b.js` | content changed (long-lived name) |');
    const passed = buildCheckSummary({
      source: 'site',
      base: 'base',
      plan: planAgainstBase([file('js/cart-0.0.1.js', 'v2')], base),
      rules: [],
      longLivedNames: 0,
      changedImmutable: 'fail',
    }).render();
    expect(passed).toContain('## Frontend check: no long-lived name changed content');
  });

  it('foresees the max-deletes refusal in one line naming the input, and heads the summary with it', () => {
    const message = againstBaseDeletesRefusal(3, 2);
    expect(message).toMatch(/^Input 'max-deletes' is 2 but this change removes 3 published file\(s\)/);
    expect(message).toContain("Raise 'max-deletes' if that is intended");
    const summary = buildCheckSummary({
      source: 'site',
      base: 'base',
      plan: planAgainstBase([], base),
      rules: [],
      longLivedNames: 0,
      changedImmutable: 'fail',
      deletesRefusal: message,
    }).render();
    expect(summary).toContain('## Frontend check: too many deletions');
    expect(summary).toContain(message);
  });
});
