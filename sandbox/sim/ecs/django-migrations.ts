import type { SimMigration } from '../model.js';

/**
 * What a StartupWebApp image prints for `python manage.py migrate` and `migrate --plan`, in Django 5.2's words
 * (django/core/management/commands/migrate.py), given the migrations the image holds and those already applied to
 * the task's database (DATABASE_NAME, else startupwebapp_prod as the server's settings default).
 */

export const DEFAULT_DATABASE = 'startupwebapp_prod';

export interface MigrateRun {
  lines: string[];
  /** Migrations recorded as applied when the command succeeds. */
  applies: string[];
}

/** undefined: the command is not Django's migrate (the image's other behaviours answer it). */
export function djangoMigrate(
  command: string,
  migrations: readonly SimMigration[],
  applied: ReadonlySet<string>,
): MigrateRun | undefined {
  const words = command.split(' ');
  if (words[0] !== 'python' || words[1] !== 'manage.py' || words[2] !== 'migrate') return undefined;
  const pending = migrations.filter((migration) => !applied.has(migration.name));
  if (words.includes('--plan')) {
    const lines = ['Planned operations:'];
    if (pending.length === 0) lines.push('  No planned migration operations.');
    for (const migration of pending) {
      lines.push(migration.name, ...migration.operations.map((operation) => `    ${operation}`));
    }
    return { lines, applies: [] };
  }
  const apps = [
    ...new Set(['admin', 'auth', 'contenttypes', 'sessions', ...migrations.map((m) => m.name.split('.')[0]!)]),
  ];
  const lines = ['Operations to perform:', `  Apply all migrations: ${apps.sort().join(', ')}`, 'Running migrations:'];
  if (pending.length === 0) lines.push('  No migrations to apply.');
  for (const migration of pending) lines.push(`  Applying ${migration.name}... OK`);
  return { lines, applies: pending.map((migration) => migration.name) };
}
