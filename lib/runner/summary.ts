import * as core from '@actions/core';

/**
 * Builds a job summary as Markdown. Pure: `render()` is tested without the runner; `write()` appends it.
 *
 * Every string given to it is text, escaped (escapeMarkdown): a key, a reason, a command or an AWS message cannot
 * add a link, an image, a heading, a table cell or HTML. Markdown the action means is built with `md`, `code` and
 * `link`, which escape what they are given in turn.
 */

/** Markdown the action wrote itself; anything else given to a summary is text and escaped. */
export class Markdown {
  constructor(readonly markdown: string) {}
  toString(): string {
    return this.markdown;
  }
}

export type Text = string | number | Markdown;

/** The one escaping function: text from outside as Markdown that shows it as it is (HTML included). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*[\]|~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\$&')
    .replace(/&(?=#?\w+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/^(\s*)(>|-{3,}|(?:#{1,6}|[+-]|\d+[.)])(?=\s|$))/, '$1\\$2')
    .replace(/\r\n|\r|\n/g, '<br>');
}

function markdownOf(text: Text): string {
  return text instanceof Markdown ? text.markdown : escapeMarkdown(String(text));
}

/** A template whose literal parts are Markdown and whose values are text (escaped) or Markdown (as is). */
export function md(parts: TemplateStringsArray, ...values: Array<Text | undefined>): Markdown {
  return new Markdown(parts.reduce((out, part, i) => out + markdownOf(values[i - 1] ?? '') + part));
}

/** Text shown as inline code: the fence is longer than any run of backticks in it, on one line. */
export function code(text: string): Markdown {
  const flat = text.replace(/\r\n|\r|\n/g, ' ');
  const ticks = '`'.repeat(Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return new Markdown(`${ticks}${pad}${flat}${pad}${ticks}`);
}

/** A link whose text is escaped and whose address cannot end the link early. */
export function link(text: Text, url: string): Markdown {
  const address = url.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return new Markdown(`[${markdownOf(text)}](${address})`);
}

export function bold(text: Text): Markdown {
  return md`**${text}**`;
}

export function joined(items: Text[], separator = ', '): Markdown {
  return new Markdown(items.map(markdownOf).join(escapeMarkdown(separator)));
}

export class Summary {
  private readonly parts: string[] = [];

  heading(text: Text, level: 2 | 3 = 2): this {
    this.parts.push(`${'#'.repeat(level)} ${markdownOf(text)}`);
    return this;
  }

  paragraph(text: Text): this {
    this.parts.push(markdownOf(text));
    return this;
  }

  /** A two-column table of facts; undefined values are left out. */
  facts(rows: Array<[string, Text | undefined]>): this {
    const kept = rows.filter((row): row is [string, Text] => row[1] !== undefined && row[1] !== '');
    return this.table(
      ['', ''],
      kept.map(([k, v]) => [bold(k), v]),
    );
  }

  table(header: Text[], rows: Text[][]): this {
    if (rows.length === 0) return this;
    const line = (cells: Text[]) => `| ${cells.map(cellOf).join(' | ')} |`;
    this.parts.push([line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n'));
    return this;
  }

  list(items: Text[]): this {
    if (items.length > 0) this.parts.push(items.map((item) => `- ${markdownOf(item)}`).join('\n'));
    return this;
  }

  /** A collapsed block; the body is shown as preformatted text. */
  details(title: Text, body: string): this {
    if (body.trim() === '') return this;
    this.parts.push(`<details><summary>${markdownOf(title)}</summary>\n\n${fence(body)}\n\n</details>`);
    return this;
  }

  code(body: string, language = 'text'): this {
    this.parts.push(fence(body, language));
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

/** A table cell: text escaped (pipes and line breaks included), Markdown with its pipes and line breaks escaped. */
function cellOf(cell: Text): string {
  if (!(cell instanceof Markdown)) return escapeMarkdown(String(cell));
  return cell.markdown.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

function fence(body: string, language = 'text'): string {
  const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${language}\n${body}\n${ticks}`;
}
