/** How an error reads in this suite's log lines and annotations. */

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/**
 * `ThrottlingException: Rate exceeded`: the error's name when it adds something to the message. With `request`, the
 * HTTP status and the number of attempts the AWS SDK made are added and the text is kept on one line.
 */
export function errorText(error: unknown, options: { request?: boolean } = {}): string {
  const e = (error ?? {}) as ErrorLike;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const name = meaningfulName(error);
  const text = name && !message.startsWith(name) ? `${name}: ${message}` : message;
  if (!options.request) return text;
  const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  const attempts = e.$metadata?.attempts ? `, ${e.$metadata.attempts} attempt(s)` : '';
  return `${text}${status}${attempts}`.replace(/\s+/g, ' ');
}

/** The title of the annotation of an unexpected failure: the AWS error's name, when it has one. */
export function errorTitle(error: unknown): string {
  const name = meaningfulName(error);
  return name ? `AWS error: ${name}` : 'Failed';
}

function meaningfulName(error: unknown): string | undefined {
  const name = (error as ErrorLike | undefined)?.name;
  return typeof name === 'string' && name !== 'Error' ? name : undefined;
}
