import { InputError, inputLines } from '../../lib/runner/inputs.js';

/**
 * The `secrets` input: `NAME=ARN` lines that become `secrets` entries (name + valueFrom) of the container in the
 * revision the action registers. ECS resolves each reference when the task starts, with the task execution role;
 * the action never reads a value, and refuses anything that is not a reference, without repeating it.
 */

export interface SecretReference {
  name: string;
  valueFrom: string;
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** `arn:aws:secretsmanager:us-east-1:123456789012:secret:name-AbCdEf`, optionally `:json-key:version-stage:version-id`. */
const SECRETS_MANAGER_ARN =
  /^arn:aws(-[a-z]+)*:secretsmanager:[a-z]{2}(-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(:[^:\s]*:[^:\s]*:[^:\s]*)?$/;
/** `arn:aws:ssm:us-east-1:123456789012:parameter/startupwebapp/superuser-email`. */
const SSM_PARAMETER_ARN = /^arn:aws(-[a-z]+)*:ssm:[a-z]{2}(-[a-z]+)+-\d:\d{12}:parameter\/[A-Za-z0-9/_.-]+$/;

export function isSecretReference(valueFrom: string): boolean {
  return SECRETS_MANAGER_ARN.test(valueFrom) || SSM_PARAMETER_ARN.test(valueFrom);
}

/**
 * Parses the input's lines (blank lines and `#` comments skipped). `hide` receives every text that is refused, so
 * the caller can mask it: a value pasted by mistake must not show up in any later line.
 */
export function parseSecretReferences(
  inputName: string,
  text: string,
  hide: (refused: string) => void = () => {},
): SecretReference[] {
  const references: SecretReference[] = [];
  for (const { line, number } of inputLines(text)) {
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!VARIABLE_NAME.test(name)) {
      hide(line);
      throw new InputError(
        `Input '${inputName}' line ${number} must be NAME=ARN with NAME a variable name (the line is not shown: it may hold a value)`,
      );
    }
    const valueFrom = line.slice(eq + 1).trim();
    if (!isSecretReference(valueFrom)) {
      if (valueFrom !== '') hide(valueFrom);
      throw new InputError(
        `Input '${inputName}' line ${number} (${name}) must be a Secrets Manager or SSM parameter ARN ` +
          `(arn:aws:secretsmanager:… or arn:aws:ssm:…), not a value; the value given is not shown`,
      );
    }
    if (references.some((reference) => reference.name === name)) {
      throw new InputError(`Input '${inputName}' sets '${name}' more than once`);
    }
    references.push({ name, valueFrom });
  }
  return references;
}

/**
 * Names set both as a secret and as a plain variable (in the container's environment or the `environment` input):
 * ECS would start the container with one of the two, and which one is not something to leave to chance.
 */
export function secretsAlsoInEnvironment(
  secrets: readonly SecretReference[],
  ...environments: ReadonlyArray<ReadonlyArray<{ name?: string }>>
): string[] {
  const plain = new Set(environments.flat().map((pair) => pair.name));
  return secrets.filter((secret) => plain.has(secret.name)).map((secret) => secret.name);
}
