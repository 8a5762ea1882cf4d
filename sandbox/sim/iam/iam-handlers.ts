import { randomUUID } from 'node:crypto';
import { escapeXml } from '../../xml.js';
import { parseQuery } from '../alb/elbv2-handlers.js';
import type { QueryReply, QueryService } from '../model.js';
import { evaluate, type PolicyDocument } from './policy-evaluation.js';

/**
 * IAM over the AWS Query protocol (Version 2010-05-08), for what check-setup reads: SimulatePrincipalPolicy against
 * the identity policies of a role the test put here, and GetRole. Nothing here changes over the wire.
 */

const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

interface Role {
  name: string;
  arn: string;
  policies: Map<string, PolicyDocument>;
}

class IamError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export class IamStandIn implements QueryService {
  readonly service = 'iam' as const;
  readonly version = '2010-05-08';
  private readonly roles = new Map<string, Role>();

  constructor(private readonly accountId: string) {}

  /** Creates (or replaces) a role with the given inline policies. */
  putRole(name: string, policies: Record<string, PolicyDocument>): string {
    const arn = `arn:aws:iam::${this.accountId}:role/${name}`;
    this.roles.set(arn, { name, arn, policies: new Map(Object.entries(policies)) });
    return arn;
  }

  deleteRole(name: string): void {
    this.roles.delete(`arn:aws:iam::${this.accountId}:role/${name}`);
  }

  error(status: number, code: string, message: string): QueryReply {
    return { status, operation: '', errorCode: code, body: errorBody(code, message, status) };
  }

  handle(body: string): QueryReply {
    const { action, params } = parseQuery(body);
    try {
      const result = this.dispatch(action, params);
      const body =
        `<${action}Response xmlns="${XMLNS}"><${action}Result>${result}</${action}Result>` +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
      return { status: 200, operation: action, input: params, body };
    } catch (error) {
      const e = error instanceof IamError ? error : new IamError('ServiceFailure', String(error), 500);
      return {
        status: e.status,
        operation: action,
        input: params,
        errorCode: e.code,
        body: errorBody(e.code, e.message, e.status),
      };
    }
  }

  private dispatch(action: string, params: Record<string, unknown>): string {
    switch (action) {
      case 'SimulatePrincipalPolicy':
        return this.simulate(params);
      case 'GetRole': {
        const role = [...this.roles.values()].find((r) => r.name === params.RoleName);
        if (!role) throw noSuchRole(String(params.RoleName));
        return `<Role><Path>/</Path><RoleName>${escapeXml(role.name)}</RoleName><RoleId>AROA${role.name.length}</RoleId><Arn>${escapeXml(role.arn)}</Arn><CreateDate>2026-01-01T00:00:00Z</CreateDate></Role>`;
      }
      default:
        throw new IamError(
          'InvalidAction',
          `Could not find operation ${action || '(none)'} for version ${this.version}`,
        );
    }
  }

  private simulate(params: Record<string, unknown>): string {
    const source = String(params.PolicySourceArn ?? '');
    const role = this.roles.get(source);
    if (!role) throw noSuchRole(source.split('/').pop() ?? source);
    const actions = (params.ActionNames as string[] | undefined) ?? [];
    const resources = (params.ResourceArns as string[] | undefined) ?? ['*'];
    const context = new Map<string, string[]>();
    for (const entry of (params.ContextEntries as Array<Record<string, unknown>> | undefined) ?? []) {
      context.set(String(entry.ContextKeyName).toLowerCase(), ((entry.ContextKeyValues as string[]) ?? []).map(String));
    }
    const policies = [...role.policies.values()];
    const results = actions.flatMap((action) =>
      resources.map((resource) => {
        const decision = evaluate(policies, { action, resource, context });
        return (
          `<member><EvalActionName>${escapeXml(action)}</EvalActionName>` +
          `<EvalResourceName>${escapeXml(resource)}</EvalResourceName><EvalDecision>${decision}</EvalDecision>` +
          `<MatchedStatements/><MissingContextValues/></member>`
        );
      }),
    );
    return `<EvaluationResults>${results.join('')}</EvaluationResults><IsTruncated>false</IsTruncated>`;
  }
}

const noSuchRole = (name: string) => new IamError('NoSuchEntity', `The role with name ${name} cannot be found.`, 404);

function errorBody(code: string, message: string, status: number): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${code}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}
