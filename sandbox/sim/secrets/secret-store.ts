/**
 * Secrets Manager and SSM Parameter Store as ECS sees them when a task starts: each container's `secrets` entry is
 * resolved with the task execution role, and a reference that does not resolve stops the task before any container
 * runs (stop code TaskFailedToStart, a ResourceInitializationError). Values stay inside the simulator: nothing here
 * is served over any API, so a value can only reach a test's output if something printed it.
 */

export type Resolution = { ok: true; value: string } | { ok: false; reason: string };

/** `arn:…:secret:name-AbCdEf` and an optional `:json-key:version-stage:version-id`. */
const SECRET_REFERENCE = /^(arn:aws[a-z-]*:secretsmanager:[^:]+:\d{12}:secret:[^:]+)(?::([^:]*):([^:]*):([^:]*))?$/;
const PARAMETER_REFERENCE = /^arn:aws[a-z-]*:ssm:[^:]+:\d{12}:parameter\/.+$/;

const FETCH_FAILED =
  'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed';

/** `-AbCdEf`: the suffix Secrets Manager appends to a secret's name in its ARN. */
const SUFFIX_LENGTH = 7;

function secretName(arn: string): string {
  const name = arn.slice(arn.indexOf(':secret:') + ':secret:'.length);
  return /-[A-Za-z0-9]{6}$/.test(name) ? name.slice(0, -SUFFIX_LENGTH) : name;
}

/** `arn:…:parameter/startupwebapp/x` -> `/startupwebapp/x`; a top-level `parameter/x` -> `x`. */
function parameterName(arn: string): string {
  const path = arn.slice(arn.indexOf(':parameter/') + ':parameter/'.length);
  return path.includes('/') ? `/${path}` : path;
}

export class SecretStore {
  private readonly secrets = new Map<string, string>();
  private readonly parameters = new Map<string, string>();

  /** A Secrets Manager secret by its full ARN (with the 6-character suffix); objects are stored as JSON. */
  putSecret(arn: string, value: string | Record<string, string>): void {
    this.secrets.set(arn, typeof value === 'string' ? value : JSON.stringify(value));
  }

  has(arn: string): boolean {
    return this.secrets.has(arn) || this.parameters.has(arn);
  }

  /**
   * The full ARN of a secret named by its full ARN, its ARN without the 6-character suffix, or its name, as
   * Secrets Manager resolves a SecretId; undefined when there is none.
   */
  deleteSecret(arn: string): void {
    this.secrets.delete(arn);
  }

  putParameter(arn: string, value: string): void {
    this.parameters.set(arn, value);
  }

  /**
   * The secret a Secrets Manager `SecretId` names (full ARN, ARN without the 6-character suffix, or name), as
   * DescribeSecret finds it: its ARN and name only.
   */
  findSecret(secretId: string): { arn: string; name: string } | undefined {
    for (const arn of this.secrets.keys()) {
      const name = secretName(arn);
      if (secretId === arn || secretId === name || secretId === arn.slice(0, arn.length - SUFFIX_LENGTH)) {
        return { arn, name };
      }
    }
    return undefined;
  }

  /** The parameter an SSM name (`/a/b`, `a`) or ARN names: its ARN and name only. */
  findParameter(nameOrArn: string): { arn: string; name: string } | undefined {
    for (const arn of this.parameters.keys()) {
      const name = parameterName(arn);
      if (nameOrArn === arn || nameOrArn === name || `/${nameOrArn}` === name) return { arn, name };
    }
    return undefined;
  }

  /** Every value held, for tests that check none was shown. */
  values(): string[] {
    const fromJson = (text: string) => {
      try {
        const parsed = JSON.parse(text) as unknown;
        return parsed && typeof parsed === 'object' ? Object.values(parsed as Record<string, unknown>).map(String) : [];
      } catch {
        return [];
      }
    };
    const secrets = [...this.secrets.values()].flatMap((text) => [text, ...fromJson(text)]);
    return [...secrets, ...this.parameters.values()];
  }

  resolve(valueFrom: string): Resolution {
    const secret = SECRET_REFERENCE.exec(valueFrom);
    if (secret) return this.resolveSecret(secret[1] as string, secret[2] ?? '');
    if (PARAMETER_REFERENCE.test(valueFrom)) {
      const value = this.parameters.get(valueFrom);
      if (value !== undefined) return { ok: true, value };
      return {
        ok: false,
        reason: `${FETCH_FAILED}: unable to retrieve secrets from ssm: service call has been retried 1 time(s): ParameterNotFound: invalid parameters: ${valueFrom}`,
      };
    }
    return { ok: false, reason: `${FETCH_FAILED}: invalid secret reference: ${valueFrom}` };
  }

  private resolveSecret(arn: string, jsonKey: string): Resolution {
    const text = this.secrets.get(arn);
    if (text === undefined) {
      return {
        ok: false,
        reason: `${FETCH_FAILED}: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret ${arn} from secrets manager: ResourceNotFoundException: Secrets Manager can't find the specified secret.`,
      };
    }
    if (jsonKey === '') return { ok: true, value: text };
    let value: unknown;
    try {
      value = (JSON.parse(text) as Record<string, unknown>)[jsonKey];
    } catch {
      value = undefined;
    }
    if (typeof value === 'string') return { ok: true, value };
    return {
      ok: false,
      reason: `${FETCH_FAILED}: unable to retrieve secret from asm: retrieved secret from Secrets Manager did not contain json key ${jsonKey}`,
    };
  }
}
