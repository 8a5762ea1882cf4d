import * as core from '@actions/core';

/** Builds a job summary as Markdown. Pure: `render()` is tested without the runner; `write()` appends it. */
export class Summary {
  private readonly parts: string[] = [];

  heading(text: string, level: 2 | 3 = 2): this {
    this.parts.push(`${'#'.repeat(level)} ${text}`);
    return this;
  }

  paragraph(text: string): this {
    this.parts.push(text);
    return this;
  }

  /** A two-column table of facts; undefined values are left out. */
  facts(rows: Array<[string, string | number | undefined]>): this {
    const kept = rows.filter((row): row is [string, string | number] => row[1] !== undefined && row[1] !== '');
    return this.table(
      ['', ''],
      kept.map(([k, v]) => [`**${k}**`, String(v)]),
    );
  }

  table(header: string[], rows: string[][]): this {
    if (rows.length === 0) return this;
    const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
    this.parts.push([line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n'));
    return this;
  }

  list(items: string[]): this {
    if (items.length > 0) this.parts.push(items.map((item) => `- ${item}`).join('\n'));
    return this;
  }

  /** A collapsed block; the body is shown as preformatted text. */
  details(title: string, body: string): this {
    if (body.trim() === '') return this;
    this.parts.push(`<details><summary>${escapeHtml(title)}</summary>\n\n${fence(body)}\n\n</details>`);
    return this;
  }

  code(body: string): this {
    this.parts.push(fence(body));
    return this;
  }

  render(): string {
    return this.parts.join('\n\n') + '\n';
  }

  async write(): Promise<void> {
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    await core.summary.addRaw(this.render()).write();
  }
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function fence(body: string): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}text\n${body}\n${ticks}`;
}
