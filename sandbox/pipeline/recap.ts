import { visibleLength, type Style } from './style.js';
import { formatSeconds } from '../../lib/runner/time.js';

/** The closing table: one row per run, whether it did what it should, and one line saying whether all did. */

export interface RecapRow {
  step: number;
  label: string;
  expected: string;
  /** undefined: skipped because an earlier step did not do what it should. */
  ok: boolean | undefined;
  result: string;
  durationMs?: number;
}

export function formatDuration(ms: number | undefined): string {
  return ms === undefined ? '–' : formatSeconds(ms / 1000);
}

export function allDidWhatTheyShould(rows: readonly RecapRow[]): boolean {
  return rows.length > 0 && rows.every((row) => row.ok === true);
}

export function renderRecap(rows: readonly RecapRow[], totalMs: number, style: Style): string[] {
  const mark = (row: RecapRow) =>
    row.ok === true ? style.green('✓') : row.ok === false ? style.red('✗') : style.dim('-');
  const table = [
    ['', 'step', 'expected', 'result', 'took'],
    ...rows.map((row) => [
      mark(row),
      `${row.step}. ${row.label}`,
      row.expected,
      row.ok === undefined ? 'skipped' : row.result,
      formatDuration(row.durationMs),
    ]),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((cells) => visibleLength(cells[c] as string))));
  const pad = (cell: string, c: number) => {
    const gap = ' '.repeat((widths[c] as number) - visibleLength(cell));
    return c === 4 ? gap + cell : cell + gap; // durations right-aligned
  };
  const line = (cells: string[]) => cells.map(pad).join('  ').trimEnd();
  const [header, ...body] = table;
  const passed = rows.filter((row) => row.ok === true).length;
  const verdict = allDidWhatTheyShould(rows)
    ? style.green(`All ${rows.length} runs did what they should, in ${formatDuration(totalMs)}.`)
    : style.red(
        `${rows.length - passed} of ${rows.length} runs did not do what they should (${rows.filter((r) => r.ok === undefined).length} skipped), in ${formatDuration(totalMs)}.`,
      );
  return [style.bold('Recap'), style.dim(line(header as string[])), ...body.map(line), '', verdict];
}
