import type { Style } from './style.js';

/**
 * A job summary (the Markdown an action appends to GITHUB_STEP_SUMMARY) as readable terminal lines: headings
 * bold, tables aligned (a facts table without a header as `key  value`), links as their text, code blocks and
 * collapsed <details> indented. Long tables and blocks are shortened, saying how much was left out.
 */

export interface SummaryRenderOptions {
  /** Tables with more rows show the first and last few. */
  maxTableRows?: number;
  /** Code blocks with more lines show the last ones (the end of a log matters most). */
  maxBlockLines?: number;
}

export function renderSummary(markdown: string, style: Style, options: SummaryRenderOptions = {}): string[] {
  const maxRows = options.maxTableRows ?? 10;
  const maxBlock = options.maxBlockLines ?? 10;
  const out: string[] = [];
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const fence = /^(`{3,})/.exec(line);
    if (fence) {
      const body: string[] = [];
      for (i++; i < lines.length && !(lines[i] as string).startsWith(fence[1] as string); i++)
        body.push(lines[i] as string);
      out.push(...shortenBlock(body, maxBlock).map((text) => style.dim(`  ${text}`)));
      continue;
    }
    if (line.startsWith('|')) {
      const rows: string[] = [];
      for (; i < lines.length && (lines[i] as string).startsWith('|'); i++) rows.push(lines[i] as string);
      i--;
      out.push(...renderTable(rows, style, maxRows));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const text = inline(heading[2] as string);
      out.push(style.bold(text));
      continue;
    }
    const details = /^<details><summary>(.*)<\/summary>$/.exec(line);
    if (details) {
      out.push(`▸ ${unescapeHtml(details[1] as string)}`);
      continue;
    }
    if (line === '</details>' || line.trim() === '') continue;
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    out.push(item ? `• ${inline(item[1] as string)}` : inline(line));
  }
  return out;
}

function shortenBlock(body: string[], max: number): string[] {
  if (body.length <= max) return body;
  return [`… ${body.length - max + 1} earlier lines`, ...body.slice(body.length - max + 1)];
}

/** Markdown inline syntax to plain text: links keep their text, emphasis and code marks go. */
function inline(text: string): string {
  return unescapeHtml(
    text
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\*\*([^*]+)\*\*/g, '$1')
      .replace(/`([^`]+)`/g, '$1')
      .replace(/\\\|/g, '|')
      .replace(/<br\s*\/?>\s*/g, ' — '),
  );
}

function unescapeHtml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function cellsOf(row: string): string[] {
  // Split on pipes that are not escaped, dropping the empty edges of `| a | b |`.
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => inline(cell.trim()));
}

function renderTable(rows: string[], style: Style, maxRows: number): string[] {
  const [headerRow, , ...bodyRows] = rows;
  const header = cellsOf(headerRow ?? '');
  let body = bodyRows.map(cellsOf);
  const hidden = body.length > maxRows ? body.length - maxRows + 1 : 0;
  if (hidden > 0) {
    const head = Math.floor((maxRows - 1) / 3);
    body = [...body.slice(0, head), [`… ${hidden} more rows`], ...body.slice(body.length - (maxRows - 1 - head))];
  }
  const withHeader = header.some((cell) => cell !== '');
  const all = withHeader ? [header, ...body] : body;
  const columns = Math.max(...all.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, c) =>
    Math.max(0, ...all.filter((row) => row.length > 1).map((row) => (row[c] ?? '').length)),
  );
  const format = (row: string[]) =>
    row.length === 1
      ? (row[0] as string)
      : row
          .map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c] as number)))
          .join('  ')
          .trimEnd();
  const lines = body.map((row) => `  ${format(row)}`);
  return withHeader ? [style.dim(`  ${format(header)}`), ...lines] : lines;
}
