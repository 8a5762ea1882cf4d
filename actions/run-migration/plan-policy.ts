import { firstUnsafe, planClass, samePlan, type MigrationPlan, type OperationClass } from './migration-plan.js';

/**
 * What the `destructive` policy makes of the plans of one or more tenant databases, decided before anything is
 * applied: `fail` stops on a destructive, incompatible or unknown operation (an unreadable plan is unknown), `warn`
 * applies and warns, `allow` applies (the contract step, once no running code uses what is dropped).
 */

export type DestructivePolicy = 'fail' | 'warn' | 'allow';

export interface DatabasePlan {
  /** DATABASE_NAME of the plan's task ('' when the run sets none: the container's default). */
  database: string;
  plan: MigrationPlan;
}

/** One database's plan task: its plan, the lines it printed, and why it failed when it did (its plan is then unknown). */
export interface PlanRun {
  database: string;
  plan: MigrationPlan;
  lines: string[];
  taskId?: string;
  /** Set when the plan task itself did not succeed (not started, non-zero exit, timeout): its plan is unknown. */
  failure?: string;
}

export interface PlanDecision {
  apply: boolean;
  worst: OperationClass | 'none';
  /** Every database has the same plan (they are at the same migration state). */
  same: boolean;
  /** Set when the plan is not all additive: the one-line reason naming the migration and operation. */
  problem?: string;
  /** The expand/contract sequence, for a refusal or a warning. */
  steps?: string[];
}

const EXPAND_CONTRACT = [
  'Ship a destructive change in steps, so no running code ever uses what a migration drops or renames:',
  '1. Expand: add what the new code needs (new column or table, nullable or with a default) and deploy code that ' +
    'writes both and no longer reads the old one.',
  '2. Deploy: once every task runs that code, nothing uses the old column or table.',
  "3. Contract: merge the migration that drops or renames it, and run it by hand with 'destructive: allow' " +
    '(the migrate workflow) before or with the next deploy.',
];

const UNKNOWN_STEPS = [
  'Read the operation: if it is safe while the old tasks serve, run with ' +
    "'destructive: warn' (or 'allow'); otherwise ship it in expand/contract steps.",
];

export function decide(plans: readonly DatabasePlan[], policy: DestructivePolicy): PlanDecision {
  const order: Array<OperationClass | 'none'> = ['none', 'additive', 'unknown', 'destructive'];
  const worst = plans
    .map((entry) => planClass(entry.plan))
    .reduce((a, b) => (order.indexOf(b) > order.indexOf(a) ? b : a), 'none');
  const same = plans.every((entry) => samePlan(entry.plan, plans[0]!.plan));
  if (worst === 'none' || worst === 'additive') return { apply: true, worst, same };
  const problem = describeProblem(plans, same);
  return {
    apply: policy !== 'fail',
    worst,
    same,
    problem,
    steps: worst === 'destructive' ? EXPAND_CONTRACT : [...UNKNOWN_STEPS, ...EXPAND_CONTRACT.slice(1)],
  };
}

function describeProblem(plans: readonly DatabasePlan[], same: boolean): string {
  const on = (database: string) => (plans.length > 1 && !same && database ? ` (on ${database})` : '');
  for (const klass of ['destructive', 'unknown'] as const) {
    for (const { database, plan } of plans) {
      if (!plan.readable && klass === 'unknown') {
        return `The migration plan${on(database)} could not be read (${plan.reason}): what it would do is unknown`;
      }
      const unsafe = firstUnsafe(plan);
      if (unsafe?.operation.class === klass) {
        const what = klass === 'destructive' ? 'is destructive or incompatible' : 'cannot be judged';
        return `Migration ${unsafe.migration}${on(database)}: "${unsafe.operation.text}" ${what} (${unsafe.operation.why}) while the old tasks still serve`;
      }
    }
  }
  return 'The migration plan is not additive';
}
