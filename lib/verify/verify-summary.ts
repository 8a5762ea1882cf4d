import { code, md, type Summary } from '../runner/summary.js';
import type { VerificationText } from './verify-text.js';

/** The "Checked before any change" section of a job summary, the same in every action. Pure. */
export function addVerification(summary: Summary, text: VerificationText | undefined, skipped = false): void {
  if (skipped) {
    summary.heading('Checked before any change', 3).paragraph(md`Not checked: ${code('verify: false')}.`);
    return;
  }
  if (!text) return;
  summary
    .heading('Checked before any change', 3)
    .list([
      ...text.problems.map((line) => `❌ ${line}`),
      ...text.warnings.map((line) => `⚠️ ${line}`),
      ...text.found.map((line) => `✅ ${line}`),
      ...text.notChecked.map((line) => `➖ ${line}`),
    ]);
}
