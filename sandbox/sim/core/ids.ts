import { randomBytes, randomInt, randomUUID } from 'node:crypto';

/** Identifiers shaped like AWS's. */

export const taskId = () => randomBytes(16).toString('hex');
export const uuid = () => randomUUID();

/** 'ecs-svc/' followed by 19 digits, as ECS names deployments. */
export const deploymentId = () => `ecs-svc/${digits(19)}`;

/** A number of `count` decimal digits, without a leading zero. */
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
export function epochSeconds(ms: number): number;
export function epochSeconds(ms: number | undefined): number | undefined;
export function epochSeconds(ms: number | undefined): number | undefined {
  return ms === undefined ? undefined : ms / 1000;
}

/** The last path segment of an ARN, or the value itself when it is a plain name. */
export function nameFromArn(value: string): string {
  return value.startsWith('arn:') ? value.slice(value.lastIndexOf('/') + 1) : value;
}
