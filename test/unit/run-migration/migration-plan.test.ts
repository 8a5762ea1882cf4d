import { classifyOperation, parsePlan, planClass } from '../../../actions/run-migration/migration-plan.js';
import { decide } from '../../../actions/run-migration/plan-policy.js';

/** Django 5.2's `migrate --plan` output, as its migrate command prints it. */
const PLAN = [
  'Planned operations:',
  'order.0008_orderconfiguration_tax_rate',
  '    Add field tax_rate to orderconfiguration',
  '    Create index order_tax_idx on field(s) tax_rate of model orderconfiguration',
  'user.0013_remove_member_legacy_phone',
  '    Remove field legacy_phone from member',
  'order.0009_backfill',
  '    Raw SQL operation -> UPDATE order_orderconfiguration SET ta…',
];

describe('parsePlan', () => {
  it('reads each migration and its operations, classed', () => {
    const plan = parsePlan(['Starting container', ...PLAN]);
    expect(plan.readable).toBe(true);
    expect(plan.migrations.map((m) => [m.name, m.operations.map((o) => o.class)])).toEqual([
      ['order.0008_orderconfiguration_tax_rate', ['additive', 'additive']],
      ['user.0013_remove_member_legacy_phone', ['destructive']],
      ['order.0009_backfill', ['unknown']],
    ]);
    expect(planClass(plan)).toBe('destructive');
  });
  it('reads "No planned migration operations." as an empty plan', () => {
    const plan = parsePlan(['Planned operations:', '  No planned migration operations.']);
    expect(plan).toEqual({ readable: true, migrations: [] });
    expect(planClass(plan)).toBe('none');
  });
  it('an unreadable plan (no heading, an unexpected line, an old Django) is unknown, never safe', () => {
    const old = parsePlan([
      'usage: manage.py migrate [-h] ...',
      'manage.py migrate: error: unrecognized arguments: --plan',
    ]);
    expect(old.readable).toBe(false);
    expect(planClass(old)).toBe('unknown');
    const odd = parsePlan([
      'Planned operations:',
      'order.0008_x',
      '    Add field a to b',
      'Traceback (most recent call last):',
    ]);
    expect(odd).toMatchObject({ readable: false, reason: 'an unexpected line: "Traceback (most recent call last):"' });
    expect(planClass(odd)).toBe('unknown');
    expect(planClass(parsePlan(['Planned operations:']))).toBe('unknown');
    expect(planClass(parsePlan(['Planned operations:', '    Add field a to b']))).toBe('unknown');
  });
  it('strips colours Django may add', () => {
    const plan = parsePlan([
      '\u001b[36;1mPlanned operations:\u001b[0m',
      '\u001b[1morder.0008_x\u001b[0m',
      '    Add field a to b',
    ]);
    expect(planClass(plan)).toBe('additive');
  });
});

describe('classifyOperation', () => {
  it.each([
    ['Add field tax_rate to orderconfiguration', 'additive'],
    ['Create model Coupon', 'additive'],
    ['Create proxy model ArchivedOrder', 'additive'],
    ['Create index order_idx on field(s) a, b of model order', 'additive'],
    ['Create index lower_email on Lower(F(email)) on model member', 'additive'],
    ['Remove index order_idx from order', 'additive'],
    ['Change Meta options on order', 'additive'],
    ['Remove field legacy_phone from member', 'destructive'],
    ['Delete model Coupon', 'destructive'],
    ['Rename field total on order to grand_total', 'destructive'],
    ['Rename model Coupon to Voucher', 'destructive'],
    ['Rename table for order to shop_order', 'destructive'],
    ['Alter field email on member', 'destructive'],
    ['Create constraint positive_total on model order', 'destructive'],
    ['Alter unique_together for member (1 constraint(s))', 'destructive'],
    ['Undo Add field tax_rate to orderconfiguration', 'destructive'],
    ['Raw SQL operation -> UPDATE order SET total = 0 WHERE t…', 'unknown'],
    ['Raw Python operation -> Backfill the tax rate of every o…', 'unknown'],
    ['Raw Python operation', 'unknown'],
    ['Custom state/database change combination', 'unknown'],
    ["Operation MyOperation: ('x',)", 'unknown'],
  ])('%s: %s', (text, klass) => {
    expect(classifyOperation(text).class).toBe(klass);
  });
});

describe('decide', () => {
  const destructive = parsePlan(PLAN.slice(0, 6));
  const additive = parsePlan(PLAN.slice(0, 4));
  const raw = parsePlan(['Planned operations:', ...PLAN.slice(6)]);
  it('fail: stops on a destructive operation, naming the migration and operation, with the expand/contract steps', () => {
    const decision = decide([{ database: 'startupwebapp_prod', plan: destructive }], 'fail');
    expect(decision).toMatchObject({ apply: false, worst: 'destructive', same: true });
    expect(decision.problem).toBe(
      'Migration user.0013_remove_member_legacy_phone: "Remove field legacy_phone from member" is destructive or incompatible (drops a column old code reads and writes) while the old tasks still serve',
    );
    expect(decision.steps!.join('\n')).toMatch(/Expand:[\s\S]*Deploy:[\s\S]*Contract:.*'destructive: allow'/);
  });
  it('warn and allow apply; an additive or empty plan applies under any policy', () => {
    expect(decide([{ database: '', plan: destructive }], 'warn').apply).toBe(true);
    expect(decide([{ database: '', plan: destructive }], 'allow').apply).toBe(true);
    expect(decide([{ database: '', plan: additive }], 'fail')).toEqual({ apply: true, worst: 'additive', same: true });
  });
  it('fail: stops on raw SQL (unknown) and on a plan it cannot read', () => {
    expect(decide([{ database: '', plan: raw }], 'fail')).toMatchObject({ apply: false, worst: 'unknown' });
    const unreadable = decide([{ database: 'x', plan: parsePlan(['oops']) }], 'fail');
    expect(unreadable).toMatchObject({ apply: false, worst: 'unknown' });
    expect(unreadable.problem).toMatch(/^The migration plan could not be read \(no "Planned operations:" line/);
  });
  it('tenants at different states: not the same plan, and the problem names the tenant', () => {
    const decision = decide(
      [
        { database: 'startupwebapp_prod', plan: additive },
        { database: 'healthtech_experiment', plan: destructive },
      ],
      'fail',
    );
    expect(decision.same).toBe(false);
    expect(decision.problem).toMatch(/^Migration user\.0013_remove_member_legacy_phone \(on healthtech_experiment\):/);
  });
});
