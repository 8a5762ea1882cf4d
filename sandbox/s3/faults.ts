import type { S3RequestInfo } from './operations.js';
import { seededRandom } from '../random.js';

/**
 * Faults the S3 proxy injects: a failing upload of chosen keys, random 5xx / throttling / dropped connections, and
 * latency (to catch a run mid-upload).
 */

export type FaultKind = 'error' | 'throttle' | 'drop';

export interface KeyFault {
  /** Which object keys (of PUT-like operations: PutObject, UploadPart, CopyObject) fail. */
  key: RegExp;
  kind?: FaultKind;
  /** How many requests fail before the key succeeds again (default: every one). */
  times?: number;
  operations?: string[];
}

export interface RateFault {
  rate: number;
  kind: FaultKind;
  /** Only these operations (default: all but CreateBucket). */
  operations?: string[];
}

const WRITE_OPERATIONS = ['PutObject', 'UploadPart', 'CopyObject', 'CreateMultipartUpload', 'CompleteMultipartUpload'];

export interface Latency {
  ms: number;
  operations: string[];
}

export class FaultPlan {
  private keyFaults: Array<KeyFault & { used: number }> = [];
  private rateFaults: RateFault[] = [];
  private latencies: Latency[] = [];
  private random = seededRandom(42);

  failKey(fault: KeyFault): this {
    this.keyFaults.push({ ...fault, used: 0 });
    return this;
  }

  atRate(fault: RateFault): this {
    this.rateFaults.push(fault);
    return this;
  }

  /** Holds each request of these operations this long before forwarding it. */
  slow(latency: Latency): this {
    this.latencies.push(latency);
    return this;
  }

  seed(value: number): this {
    this.random = seededRandom(value);
    return this;
  }

  clear(): void {
    this.keyFaults = [];
    this.rateFaults = [];
    this.latencies = [];
  }

  delayFor(request: S3RequestInfo): number {
    return Math.max(0, ...this.latencies.filter((l) => l.operations.includes(request.operation)).map((l) => l.ms));
  }

  /** The fault to inject for this request, if any. */
  decide(request: S3RequestInfo): FaultKind | undefined {
    for (const fault of this.keyFaults) {
      const operations = fault.operations ?? WRITE_OPERATIONS;
      if (!request.key || !operations.includes(request.operation) || !fault.key.test(request.key)) continue;
      if (fault.times !== undefined && fault.used >= fault.times) continue;
      fault.used++;
      return fault.kind ?? 'error';
    }
    for (const fault of this.rateFaults) {
      if (request.operation === 'CreateBucket') continue;
      if (fault.operations && !fault.operations.includes(request.operation)) continue;
      if (this.random() < fault.rate) return fault.kind;
    }
    return undefined;
  }
}
