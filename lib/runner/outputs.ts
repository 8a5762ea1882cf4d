import * as core from '@actions/core';

/** The step's outputs: set here, never printed (the log is log.ts's). Undefined values are left unset. */
export function setOutputs(outputs: Record<string, string | number | boolean | undefined>): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value !== undefined) core.setOutput(name, String(value));
  }
}
