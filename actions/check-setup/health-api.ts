import { judgeHealthResponse, type HealthVerdict } from '../../lib/ecs/health-check.js';

/** One read-only GET of the live health path, bounded in time; never retried (the check is run by hand). */
export async function getHealth(url: string, signal?: AbortSignal): Promise<HealthVerdict> {
  const timeout = AbortSignal.timeout(10_000);
  try {
    const response = await fetch(url, {
      method: 'GET',
      redirect: 'manual',
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const body = (await response.text()).slice(0, 2000);
    return judgeHealthResponse(response.status, body);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { healthy: false, detail: timeout.aborted ? 'no answer within 10 s' : (cause ?? (error as Error).message) };
  }
}
