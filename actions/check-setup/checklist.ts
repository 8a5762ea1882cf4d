/** One line of the checklist: a prerequisite, whether it holds, and for one that does not, the exact fix. */

export type CheckStatus = 'ok' | 'fail' | 'warn';

export interface CheckItem {
  /** Where it lives: `AWS`, `IAM`, `GitHub`, `Health`. */
  area: string;
  /** What must hold, as a fact: `Log group /ecs/startupwebapp-migrations exists`. */
  title: string;
  status: CheckStatus;
  /** Why it does not hold (or what was found), one line. */
  detail?: string;
  /** The command to run or the page to open, values filled in; one or more lines. */
  fix?: string;
}

export const ok = (area: string, title: string, detail?: string): CheckItem => ({
  area,
  title,
  status: 'ok',
  ...(detail ? { detail } : {}),
});

export const failed = (area: string, title: string, detail: string, fix: string): CheckItem => ({
  area,
  title,
  status: 'fail',
  detail,
  fix,
});

export const warning = (area: string, title: string, detail: string, fix?: string): CheckItem => ({
  area,
  title,
  status: 'warn',
  detail,
  ...(fix ? { fix } : {}),
});

export interface Verdict {
  passed: number;
  failed: number;
  warnings: number;
}

export function verdict(items: readonly CheckItem[]): Verdict {
  const count = (status: CheckStatus) => items.filter((item) => item.status === status).length;
  return { passed: count('ok'), failed: count('fail'), warnings: count('warn') };
}

export const MARK: Record<CheckStatus, string> = { ok: '✓', fail: '✗', warn: '!' };
