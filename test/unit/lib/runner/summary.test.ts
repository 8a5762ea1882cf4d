import { Summary } from '../../../../lib/runner/summary.js';
import { displayValue, looksSecret } from '../../../../lib/runner/secrets.js';

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

  it('leaves out empty tables, lists and details', () => {
    expect(new Summary().table(['a'], []).list([]).details('x', '  ').render()).toBe('\n');
  });
});

describe('secret-looking names', () => {
  it.each(['DATABASE_PASSWORD', 'DJANGO_SECRET_KEY', 'GITHUB_TOKEN', 'STRIPE_API_KEY', 'AWS_ACCESS_KEY_ID'])(
    '%s is treated as secret',
    (name) => {
      expect(looksSecret(name)).toBe(true);
      expect(displayValue(name, 'hunter2')).toBe('***');
    },
  );
  it.each(['DATABASE_NAME', 'DJANGO_SETTINGS_MODULE', 'KEYCLOAK_URL_PATH'])('%s is shown', (name) => {
    expect(looksSecret(name)).toBe(false);
    expect(displayValue(name, 'v')).toBe('v');
  });
  it('hides a URL with credentials in it whatever its name, and shows one without', () => {
    expect(displayValue('DATABASE_URL', 'postgres://app:hunter2@db.internal/prod')).toBe('***');
    expect(displayValue('DATABASE_URL', 'postgres://db.internal/prod')).toBe('postgres://db.internal/prod');
  });
});
