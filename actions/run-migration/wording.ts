/** How durations and errors read in this action's messages. */

/** `42.5s`, `20m 0s`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds * 10) / 10}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m ${Math.round(seconds - minutes * 60)}s`;
}

/** `ThrottlingException: Rate exceeded`: the error's name when it adds something to the message. */
export function errorText(error: unknown): string {
  const name = (error as Error)?.name;
  const message = error instanceof Error ? error.message : String(error);
  return name && name !== 'Error' && !message.startsWith(name) ? `${name}: ${message}` : message;
}
