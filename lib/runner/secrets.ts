import * as core from '@actions/core';

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|_KEY$|^KEY$)/i;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

const CREDENTIALS_IN_URL = /:\/\/[^/\s:@]+:[^@\s]+@/;

/** A variable whose value must not be shown: under a secret-looking name, or a URL with credentials in it. */
export function isSecretVariable(name: string, value: string | undefined): boolean {
  return looksSecret(name) || CREDENTIALS_IN_URL.test(value ?? '');
}

/** Masks a value, so the runner redacts it everywhere. */
export function mask(value: string): void {
  core.setSecret(value);
}

/** Masks these values outright, so the runner redacts them everywhere. */
export function maskValues(values: readonly string[]): void {
  for (const value of values) if (value) mask(value);
}

/** Masks the values of sensitive variables, so the runner redacts them everywhere. */
export function maskSecretValues(variables: ReadonlyArray<{ name?: string; value?: string }>): void {
  for (const { name, value } of variables) {
    if (name && value && isSecretVariable(name, value)) mask(value);
  }
}
