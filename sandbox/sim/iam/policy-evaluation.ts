/**
 * What IAM's policy simulator decides for one action on one resource, from a role's identity policies: an explicit
 * Deny wins, then any Allow whose Action, Resource and Condition match, else an implicit deny. Conditions understand
 * the String/Arn Equals/Like operators (a key missing from the context fails its condition, as in IAM); any other
 * operator fails too, so a stand-in never allows more than IAM would.
 */

export interface Statement {
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Statement: Statement | Statement[];
}

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function glob(pattern: string, flags = ''): RegExp {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, flags);
}

const actionMatches = (patterns: string[], action: string) => patterns.some((p) => glob(p, 'i').test(action));
const resourceMatches = (patterns: string[], resource: string) => patterns.some((p) => glob(p).test(resource));

const OPERATORS: Record<string, (expected: string, actual: string) => boolean> = {
  StringEquals: (e, a) => e === a,
  StringLike: (e, a) => glob(e).test(a),
  ArnEquals: (e, a) => e === a,
  ArnLike: (e, a) => glob(e).test(a),
};

function conditionsHold(statement: Statement, context: Map<string, string[]>): boolean {
  return Object.entries(statement.Condition ?? {}).every(([operator, keys]) => {
    const test = OPERATORS[operator];
    if (!test) return false;
    return Object.entries(keys).every(([key, expected]) => {
      const actual = context.get(key.toLowerCase());
      if (!actual) return false;
      return actual.some((value) => asList(expected).some((e) => test(e, value)));
    });
  });
}

function applies(statement: Statement, action: string, resource: string, context: Map<string, string[]>): boolean {
  const byAction = statement.NotAction
    ? !actionMatches(asList(statement.NotAction), action)
    : actionMatches(asList(statement.Action), action);
  return byAction && resourceMatches(asList(statement.Resource ?? '*'), resource) && conditionsHold(statement, context);
}

export function evaluate(
  policies: readonly PolicyDocument[],
  request: { action: string; resource: string; context: Map<string, string[]> },
): Decision {
  const statements = policies.flatMap((p) => (Array.isArray(p.Statement) ? p.Statement : [p.Statement]));
  const matching = statements.filter((s) => applies(s, request.action, request.resource, request.context));
  if (matching.some((s) => s.Effect === 'Deny')) return 'explicitDeny';
  return matching.some((s) => s.Effect === 'Allow') ? 'allowed' : 'implicitDeny';
}
