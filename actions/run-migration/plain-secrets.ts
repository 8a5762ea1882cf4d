import { isSecretVariable } from '../../lib/runner/secrets.js';
import type { SecretReference } from './secret-references.js';

/**
 * What the base revision's plain environment holds that a run must speak about (names only): the variables a secret
 * reference replaces (their plain value is dropped from the registered revision), and the other plain values under
 * secret-looking names, which stay (a migration run does not change the environment it derives from).
 */
export interface PlainSecrets {
  replaced: string[];
  kept: string[];
}

export function plainSecrets(
  secrets: readonly SecretReference[],
  environment: ReadonlyArray<{ name?: string; value?: string }>,
): PlainSecrets {
  const referenced = new Set(secrets.map((secret) => secret.name));
  // DB_SECRET_NAME (StartupWebApp's own) names where a secret is, it does not hold one.
  const holdsSecret = (name: string, value: string | undefined) =>
    isSecretVariable(name, value) && (!/_(NAME|ARN)$/i.test(name) || isSecretVariable('', value));
  const names = (pairs: typeof environment) => pairs.map((pair) => pair.name ?? '');
  return {
    replaced: names(environment.filter((pair) => referenced.has(pair.name ?? ''))),
    kept: names(
      environment.filter((pair) => !referenced.has(pair.name ?? '') && holdsSecret(pair.name ?? '', pair.value)),
    ),
  };
}
