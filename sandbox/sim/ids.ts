import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** Identifiers shaped like AWS's. */

export const taskId = () => randomBytes(16).toString('hex');
export const uuid = () => randomUUID();

/** 'ecs-svc/' followed by 19 digits, as ECS names deployments. */
export function deploymentId(): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < 19) digits += String(randomInt(0, 10));
  return `ecs-svc/${digits}`;
}

export function digits(count: number): string {
  let out = String(randomInt(1, 10));
  while (out.length < count) out += String(randomInt(0, 10));
  return out;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export function alphanumeric(count: number, alphabet = ALPHABET): string {
  let out = '';
  for (let i = 0; i < count; i++) out += alphabet[randomInt(0, alphabet.length)];
  return out;
}

/** ECS JSON timestamps are epoch seconds. */
export const epochSeconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

/** The last path segment of an ARN, or the value itself when it is a plain name. */
export function nameOf(value: string): string {
  return value.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value;
}
