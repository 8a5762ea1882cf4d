import * as report from '../../lib/runner/log.js';
import { setOutputs } from '../../lib/runner/outputs.js';
import { MARK, verdict, type CheckItem } from './checklist.js';
import { checklistSummary } from './summary.js';

/** What check-setup says: a line per check as it is decided, the fixes, the outputs, the summary, the verdict. */

export function started(scope: string, subject: string): void {
  report.info(`check-setup, scope ${scope}: ${subject} (read-only: nothing is changed)`);
}

/** One checklist line; names in it come from AWS and GitHub answers, so it is printed as outside text. */
export function printItem(item: CheckItem): void {
  const detail = item.detail ? ` — ${item.detail}` : '';
  report.printUntrusted(`${MARK[item.status]} [${item.area}] ${item.title}${detail}`);
  if (item.fix && item.status !== 'ok') {
    report.printUntrusted(
      item.fix
        .split('\n')
        .map((line) => `    fix: ${line}`)
        .join('\n'),
    );
  }
}

export async function finish(scope: string, items: readonly CheckItem[]): Promise<void> {
  const counts = verdict(items);
  setOutputs({
    ok: counts.failed === 0,
    passed: counts.passed,
    failed: counts.failed,
    warnings: counts.warnings,
  });
  await checklistSummary(scope, items).write();
  const line = `${counts.passed} passed, ${counts.failed} failed, ${counts.warnings} warnings`;
  if (counts.failed === 0) {
    report.info(`Setup complete for ${scope}: ${line}.`);
    return;
  }
  const titles = items.filter((item) => item.status === 'fail').map((item) => `✗ ${item.title}`);
  report.fail(
    'Setup incomplete',
    `${scope}: ${line}. Fix each ✗ (the job summary lists the fixes):\n${titles.join('\n')}`,
  );
}
