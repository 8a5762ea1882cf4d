import * as core from '@actions/core';

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIALS?|_KEY$|^KEY$)/i;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Masks the values of variables whose names look sensitive, so the runner redacts them everywhere. */
export function maskSecretValues(variables: ReadonlyArray<{ name?: string; value?: string }>): void {
  for (const { name, value } of variables) {
    if (name && value && looksSecret(name)) core.setSecret(value);
  }
}

/** The value as it may be shown: secret-looking ones are replaced. */
export function displayValue(name: string, value: string): string {
  return looksSecret(name) ? '***' : value;
}
