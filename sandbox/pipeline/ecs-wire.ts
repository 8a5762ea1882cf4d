/**
 * One ECS call over the simulator's AWS JSON wire, for the pipeline's own look-ups outside any action. Plain fetch:
 * the SDK would warn about the Node version this process runs on, in the middle of the pipeline's output.
 */
export async function ecsCall<T>(endpoint: string, operation: string, body: unknown): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AmazonEC2ContainerServiceV20141113.${operation}`,
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${operation} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}
