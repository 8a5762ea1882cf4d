import { Summary } from '../../lib/runner/summary.js';
import { MARK, verdict, type CheckItem } from './checklist.js';

/** The job summary: the checklist as a table, then each fix as a block to copy. Pure. */
export function checklistSummary(scope: string, items: readonly CheckItem[]): Summary {
  const counts = verdict(items);
  const summary = new Summary().heading(`Setup check: ${scope}`);
  summary.paragraph(
    counts.failed === 0
      ? `**All required checks pass** (${counts.passed} ✓${counts.warnings > 0 ? `, ${counts.warnings} warnings` : ''}).`
      : `**${counts.failed} of ${items.length} checks fail**: a deploy would stop on each ✗ below. Read-only: nothing was changed.`,
  );
  summary.table(
    ['', 'Area', 'Check', 'Found'],
    items.map((item) => [MARK[item.status], item.area, item.title, item.detail ?? '']),
  );
  const toFix = items.filter((item) => item.status !== 'ok' && item.fix);
  if (toFix.length > 0) summary.heading('How to fix', 3);
  for (const item of toFix) {
    summary.paragraph(`${MARK[item.status]} **${item.title}**`).code(item.fix as string);
  }
  return summary;
}
