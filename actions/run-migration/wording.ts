/** How errors read in this action's messages. */

/** `ThrottlingException: Rate exceeded`: the error's name when it adds something to the message. */
export function errorText(error: unknown): string {
  const name = (error as Error)?.name;
  const message = error instanceof Error ? error.message : String(error);
  return name && name !== 'Error' && !message.startsWith(name) ? `${name}: ${message}` : message;
}
