/** How an error reads in this suite's log lines and annotations. */

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/** How a lower layer words the errors it knows (lib/aws: which AWS call failed, and how); undefined for others. */
export type ErrorDescriber = (error: unknown) => { text: string; title: string } | undefined;

const describers = new Set<ErrorDescriber>();

/** Registers a describer; the runner imports nothing of the layers that know the errors' shapes. */
export function describeErrorsWith(describer: ErrorDescriber): void {
  describers.add(describer);
}

function described(error: unknown): { text: string; title: string } | undefined {
  for (const describe of describers) {
    const words = describe(error);
    if (words) return words;
  }
  return undefined;
}

/**
 * The one error-to-text function. An error a describer knows reads its way (`ListServiceDeployments failed: HTTP 500,
 * answer was not JSON (starts "<!doctype html>…")`); any other is `ThrottlingException: Rate exceeded` style: the
 * error's name when it adds something to the message. With `request`, the HTTP status and the number of attempts the
 * AWS SDK made are added and the text is kept on one line.
 */
export function errorText(error: unknown, options: { request?: boolean } = {}): string {
  const words = described(error);
  if (words) return words.text;
  const e = (error ?? {}) as ErrorLike;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const name = meaningfulName(error);
  const text = name && !message.startsWith(name) ? `${name}: ${message}` : message;
  if (!options.request) return text;
  const status = e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  const attempts = e.$metadata?.attempts ? `, ${e.$metadata.attempts} attempt(s)` : '';
  return `${text}${status}${attempts}`.replace(/\s+/g, ' ');
}

/** The message of an unexpected failure: a described error's words, else the error's own message. */
export function failureText(error: unknown): string {
  return described(error)?.text ?? (error instanceof Error ? error.message : String(error));
}

/** The title of the annotation of an unexpected failure: the failed call, or the error's name, when known. */
export function errorTitle(error: unknown): string {
  const words = described(error);
  if (words) return words.title;
  const name = meaningfulName(error);
  return name ? `AWS error: ${name}` : 'Failed';
}

function meaningfulName(error: unknown): string | undefined {
  const name = (error as ErrorLike | undefined)?.name;
  return typeof name === 'string' && name !== 'Error' ? name : undefined;
}
