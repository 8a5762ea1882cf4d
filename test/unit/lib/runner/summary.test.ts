import { code, escapeMarkdown, link, md, Summary } from '../../../../lib/runner/summary.js';
import { isSecretVariable, looksSecret } from '../../../../lib/runner/secrets.js';

describe('Summary', () => {
  it('renders facts as a table, leaving out unknown values and escaping pipes', () => {
    const markdown = new Summary()
      .heading('Migration')
      .facts([
        ['Database', 'healthtech_experiment'],
        ['Exit code', 0],
        ['Image', undefined],
        ['Command', 'a | b'],
      ])
      .render();
    expect(markdown).toBe(
      [
        '## Migration',
        '',
        '|  |  |',
        '| --- | --- |',
        '| **Database** | healthtech_experiment |',
        '| **Exit code** | 0 |',
        '| **Command** | a \\| b |',
        '',
      ].join('\n'),
    );
  });

  it('puts log lines in a details block with a fence longer than any backticks inside', () => {
    const markdown = new Summary().details('Last log lines', 'Traceback\n```\nboom').render();
    expect(markdown).toContain('<details><summary>Last log lines</summary>');
    expect(markdown).toContain('````text\nTraceback\n```\nboom\n````');
  });

  it('escapes Markdown and HTML in text from outside, wherever it goes', () => {
    const hostile = '<img src=x onerror=alert(1)> [click](https://evil.example) ![i](x) **b** `c` | d\n# e';
    const markdown = new Summary()
      .heading(hostile)
      .paragraph(hostile)
      .facts([['Reason', hostile]])
      .list([hostile, md`${code('a`b')}: ${hostile}`])
      .table(['Key'], [[hostile]])
      .details(hostile, 'x')
      .render();
    expect(markdown).not.toMatch(/<img|(?<!\\)\]\(|(?<!\\)\*\*b|(?<!\\)\|\s*d|\n# e/);
    expect(escapeMarkdown(hostile)).toBe(
      '&lt;img src=x onerror=alert(1)> \\[click\\](https://evil.example) !\\[i\\](x) \\*\\*b\\*\\* \\`c\\` \\| d<br># e',
    );
  });

  it('escapes what starts a block, and leaves words with underscores alone', () => {
    expect(
      ['# h', '- item', '1. one', '> quote', '---', '42.5s', 'healthtech_experiment', '_x_'].map(escapeMarkdown),
    ).toEqual(['\\# h', '\\- item', '\\1. one', '\\> quote', '\\---', '42.5s', 'healthtech_experiment', '\\_x\\_']);
  });

  it('builds the Markdown it means with md, code and link, escaping their text', () => {
    expect(code('a``b').markdown).toBe('```a``b```');
    expect(code('`x').markdown).toBe('`` `x ``');
    expect(link('[t]', 'https://h/p?a=(1) b').markdown).toBe('[\\[t\\]](https://h/p?a=%281%29%20b)');
    expect(md`**${'*x*'}**`.markdown).toBe('**\\*x\\***');
  });

  it('leaves out empty tables, lists and details', () => {
    expect(new Summary().table(['a'], []).list([]).details('x', '  ').render()).toBe('\n');
  });
});

describe('secret-looking names', () => {
  it.each(['DATABASE_PASSWORD', 'DJANGO_SECRET_KEY', 'GITHUB_TOKEN', 'STRIPE_API_KEY', 'AWS_ACCESS_KEY_ID'])(
    '%s is treated as secret',
    (name) => {
      expect(looksSecret(name)).toBe(true);
      expect(isSecretVariable(name, 'hunter2')).toBe(true);
    },
  );
  it.each(['DATABASE_NAME', 'DJANGO_SETTINGS_MODULE', 'KEYCLOAK_URL_PATH'])('%s is shown', (name) => {
    expect(looksSecret(name)).toBe(false);
    expect(isSecretVariable(name, 'v')).toBe(false);
  });
  it('hides a URL with credentials in it whatever its name, and shows one without', () => {
    expect(isSecretVariable('DATABASE_URL', 'postgres://app:hunter2@db.internal/prod')).toBe(true);
    expect(isSecretVariable('DATABASE_URL', 'postgres://db.internal/prod')).toBe(false);
  });
});
