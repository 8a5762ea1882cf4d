/**
 * Reading `python manage.py migrate --plan` and judging what each operation does to code that still runs: the old
 * tasks keep serving against the new schema for the whole rolling deploy.
 *
 * Django 5.2's wording (django/core/management/commands/migrate.py and django/db/migrations/operations/):
 * - `handle()` with --plan prints "Planned operations:", then "  No planned migration operations." or, per migration,
 *   `str(migration)` ("app_label.name") and each operation as "    " + `describe_operation(operation, backwards)`.
 * - `describe_operation` is `[Undo ]` + `operation.describe()` + `Truncator(" -> " + action).chars(40)`, where action
 *   is RunSQL's sql or RunPython's code docstring with newlines removed (so " -> " and the text are cut to 40 characters
 *   ending in "…"); a backwards operation without reverse code shows " -> IRREVERSIBLE".
 * - describe(): AddField "Add field %s to %s", RemoveField "Remove field %s from %s", AlterField "Alter field %s on %s",
 *   RenameField "Rename field %s on %s to %s", CreateModel "Create %smodel %s" ("proxy " or ""), DeleteModel
 *   "Delete model %s", RenameModel "Rename model %s to %s", AlterModelTable "Rename table for %s to %s",
 *   AlterModelTableComment "Alter %s table comment", AlterTogetherOptionOperation "Alter %s for %s (%s constraint(s))",
 *   AlterOrderWithRespectTo "Set order_with_respect_to on %s to %s", AlterModelOptions "Change Meta options on %s",
 *   AlterModelManagers "Change managers on %s", AddIndex "Create index %s on field(s) %s of model %s" (expressions:
 *   "Create index %s on %s on model %s"), RemoveIndex "Remove index %s from %s", RenameIndex "Rename index %s on %s to
 *   %s" / "Rename unnamed index for %s on %s to %s", AddConstraint "Create constraint %s on model %s",
 *   RemoveConstraint "Remove constraint %s from model %s", AlterConstraint "Alter constraint %s on %s", RunSQL
 *   "Raw SQL operation", RunPython "Raw Python operation", SeparateDatabaseAndState "Custom state/database change
 *   combination", any other Operation "Operation %s: %s".
 */

export type OperationClass = 'additive' | 'destructive' | 'unknown';

export interface PlannedOperation {
  /** As Django printed it. */
  text: string;
  class: OperationClass;
  /** Why it is in its class, for the log and a failure. */
  why: string;
}

export interface PlannedMigration {
  /** `app_label.migration_name`. */
  name: string;
  operations: PlannedOperation[];
}

/** A plan read, or why it could not be: an unreadable plan is never taken as safe. */
export type MigrationPlan =
  | { readable: true; migrations: PlannedMigration[] }
  | { readable: false; reason: string; migrations: PlannedMigration[] };

interface Rule {
  pattern: RegExp;
  class: OperationClass;
  why: string;
}

const ADDS = 'old code ignores what it does not know';
const STATE_ONLY = 'Django state only, no schema change';
const RULES: Rule[] = [
  { pattern: /^Undo /, class: 'destructive', why: 'reverses an applied migration' },
  { pattern: /^Add field \S+ to \S+$/, class: 'additive', why: `adds a column: ${ADDS} (give it a default or null)` },
  { pattern: /^Create (proxy )?model \S+$/, class: 'additive', why: `adds a table: ${ADDS}` },
  { pattern: /^Create index \S+ on .+ (of|on) model \S+$/, class: 'additive', why: 'adds an index' },
  { pattern: /^Remove index \S+ from \S+$/, class: 'additive', why: 'drops an index: old code does not name it' },
  { pattern: /^Rename (unnamed )?index .+ to \S+$/, class: 'additive', why: 'old code does not name indexes' },
  { pattern: /^Remove constraint \S+ from model \S+$/, class: 'additive', why: 'old code writes what it wrote before' },
  { pattern: /^Change (Meta options|managers) on \S+$/, class: 'additive', why: STATE_ONLY },
  { pattern: /^Alter \S+ table comment$/, class: 'additive', why: 'a comment only' },
  { pattern: /^Alter index_together for \S+ \(\d+ constraint\(s\)\)$/, class: 'additive', why: 'indexes only' },
  { pattern: /^Remove field \S+ from \S+$/, class: 'destructive', why: 'drops a column old code reads and writes' },
  { pattern: /^Delete model \S+$/, class: 'destructive', why: 'drops a table old code uses' },
  { pattern: /^Rename field \S+ on \S+ to \S+$/, class: 'destructive', why: 'old code uses the old column name' },
  { pattern: /^Rename model \S+ to \S+$/, class: 'destructive', why: 'old code uses the old table name' },
  { pattern: /^Rename table for \S+ to \S+$/, class: 'destructive', why: 'old code uses the old table name' },
  { pattern: /^Alter field \S+ on \S+$/, class: 'destructive', why: 'the column changes: old code may not write it' },
  {
    pattern: /^(Create|Alter) constraint \S+ on (model )?\S+$/,
    class: 'destructive',
    why: 'old code may write rows the constraint refuses',
  },
  {
    pattern: /^Alter unique_together for \S+ \(\d+ constraint\(s\)\)$/,
    class: 'destructive',
    why: 'old code may write rows the constraint refuses',
  },
  {
    pattern: /^Set order_with_respect_to on \S+ to /,
    class: 'destructive',
    why: 'adds an _order column old code does not fill',
  },
  { pattern: /^Raw SQL operation( -> |$)/, class: 'unknown', why: 'raw SQL cannot be judged' },
  { pattern: /^Raw Python operation( -> |$)/, class: 'unknown', why: 'raw Python cannot be judged' },
];

export function classifyOperation(text: string): PlannedOperation {
  const rule = RULES.find((candidate) => candidate.pattern.test(text));
  if (rule) return { text, class: rule.class, why: rule.why };
  return { text, class: 'unknown', why: 'an operation this check does not know' };
}

const HEADING = 'Planned operations:';
const NOTHING = 'No planned migration operations.';
const MIGRATION = /^[A-Za-z_][\w]*\.[\w]+$/;
const OPERATION_INDENT = '    ';
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * The plan in the task's log lines. Lines before Django's heading are skipped (an entrypoint's own output); after it,
 * every line must be a migration or one of its operations.
 */
export function parsePlan(lines: readonly string[]): MigrationPlan {
  const clean = lines.map((line) => line.replace(ANSI, '').replace(/\r$/, ''));
  const start = clean.findIndex((line) => line.trim() === HEADING);
  const unreadable = (reason: string, migrations: PlannedMigration[] = []): MigrationPlan => ({
    readable: false,
    reason,
    migrations,
  });
  if (start < 0) return unreadable(`no "${HEADING}" line in the output`);
  const rest = clean.slice(start + 1).filter((line) => line.trim() !== '');
  if (rest.length === 1 && rest[0]!.trim() === NOTHING) return { readable: true, migrations: [] };
  if (rest.length === 0) return unreadable('nothing after the heading');
  const migrations: PlannedMigration[] = [];
  for (const line of rest) {
    if (line.startsWith(OPERATION_INDENT) && line.trim() !== '') {
      const current = migrations.at(-1);
      if (!current) return unreadable(`an operation before any migration: "${line.trim()}"`);
      current.operations.push(classifyOperation(line.slice(OPERATION_INDENT.length).trim()));
    } else if (MIGRATION.test(line)) {
      migrations.push({ name: line, operations: [] });
    } else {
      return unreadable(`an unexpected line: "${line.trim()}"`, migrations);
    }
  }
  return { readable: true, migrations };
}

/** The worst class in a plan: an unreadable plan is unknown, an empty one has none. */
export function planClass(plan: MigrationPlan): OperationClass | 'none' {
  if (!plan.readable) return 'unknown';
  const classes = plan.migrations.flatMap((migration) => migration.operations.map((operation) => operation.class));
  if (classes.includes('destructive')) return 'destructive';
  if (classes.includes('unknown')) return 'unknown';
  return classes.length > 0 ? 'additive' : 'none';
}

/** The first operation that is not additive, with its migration: what a refusal names. */
export function firstUnsafe(plan: MigrationPlan): { migration: string; operation: PlannedOperation } | undefined {
  for (const klass of ['destructive', 'unknown'] as const) {
    for (const migration of plan.migrations) {
      const operation = migration.operations.find((candidate) => candidate.class === klass);
      if (operation) return { migration: migration.name, operation };
    }
  }
  return undefined;
}

/** A plan's identity, to tell whether tenants are at the same migration state. */
export function samePlan(a: MigrationPlan, b: MigrationPlan): boolean {
  const key = (plan: MigrationPlan) =>
    JSON.stringify([plan.readable, plan.migrations.map((m) => [m.name, m.operations.map((o) => o.text)])]);
  return key(a) === key(b);
}
