import { now, poll } from '../runner/time.js';

/** Polling a health URL after ECS says the rollout completed: ECS's "healthy" is not always the app's. */

export interface HealthVerdict {
  healthy: boolean;
  /** `200 {"status":"healthy"}`, `503`, `connection refused` ... */
  detail: string;
}

const HEALTHY = new Set(['healthy', 'ok', 'pass', 'up', 'green']);

/** 200, and when the body is JSON with a `status`, a status that means healthy. */
export function judgeHealthResponse(status: number, body: string): HealthVerdict {
  const shown = body.trim().replace(/\s+/g, ' ').slice(0, 120);
  const detail = shown ? `${status} ${shown}` : String(status);
  if (status !== 200) return { healthy: false, detail };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { healthy: true, detail };
  }
  const reported = (parsed as { status?: unknown } | null)?.status;
  if (typeof reported !== 'string') return { healthy: true, detail };
  return { healthy: HEALTHY.has(reported.toLowerCase()), detail };
}

export interface HealthCheckOptions {
  timeoutSeconds: number;
  pollSeconds: number;
  signal?: AbortSignal;
  /** Called with each answer that differs from the previous one. */
  onChange?: (verdict: HealthVerdict) => void;
}

export interface HealthCheckResult extends HealthVerdict {
  attempts: number;
}

/** Polls `url` until it is healthy or `timeoutSeconds` pass; each request may take up to the poll interval + 5 s. */
export async function pollHealth(url: string, options: HealthCheckOptions): Promise<HealthCheckResult> {
  const every = options.pollSeconds * 1000;
  let attempts = 0;
  let last: HealthVerdict = { healthy: false, detail: 'not checked' };
  await poll(
    async () => {
      attempts++;
      const verdict = await checkOnce(url, every + 5000, options.signal);
      if (verdict.detail !== last.detail) options.onChange?.(verdict);
      last = verdict;
      return verdict.healthy || undefined;
    },
    { every, deadline: now() + options.timeoutSeconds * 1000, signal: options.signal },
  );
  return { ...last, attempts };
}

async function checkOnce(url: string, timeoutMs: number, signal?: AbortSignal): Promise<HealthVerdict> {
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      redirect: 'follow',
      headers: { accept: 'application/json, */*' },
    });
    return judgeHealthResponse(response.status, await readLimited(response, HEALTH_BODY_LIMIT));
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { healthy: false, detail: cause?.code ?? cause?.message ?? (error as Error).message };
  }
}

/** The most of a health-check answer read: plenty for a JSON status, never a whole (or endless) page in memory. */
export const HEALTH_BODY_LIMIT = 64 * 1024;

/** The first `limit` bytes of the body; the rest is never read (the stream is cancelled). */
export async function readLimited(response: Response, limit: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, limit));
}
