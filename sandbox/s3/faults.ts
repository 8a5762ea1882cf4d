import type { S3RequestInfo } from './operations.js';

/** Faults the S3 proxy injects: a failing upload of chosen keys, and random 5xx / throttling / dropped connections. */

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

/** A small seeded generator so a fault rate gives the same sequence run to run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultPlan {
  private keyFaults: Array<KeyFault & { used: number }> = [];
  private rateFaults: RateFault[] = [];
  private random = mulberry32(42);

  failKey(fault: KeyFault): this {
    this.keyFaults.push({ ...fault, used: 0 });
    return this;
  }

  atRate(fault: RateFault): this {
    this.rateFaults.push(fault);
    return this;
  }

  seed(value: number): this {
    this.random = mulberry32(value);
    return this;
  }

  clear(): void {
    this.keyFaults = [];
    this.rateFaults = [];
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
