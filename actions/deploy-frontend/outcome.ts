import type { Change } from './upload-plan.js';

/** What carrying out a plan did, step by step, and where it stopped. */
export interface Outcome {
  done: Change[];
  failed: Array<{ change: Change; message: string }>;
  /** Changes not attempted because something before them failed. */
  notStarted: Change[];
  deleted: string[];
  invalidationId?: string;
  /** The paths this run's invalidation covered (or would have, had it been created). */
  invalidationPaths: string[];
  /** Paths an earlier run recorded and this run's invalidation carried out. */
  carriedPaths: string[];
  /** Paths recorded in the manifest for the next run, because their invalidation was not created. */
  pendingPaths: string[];
  /** The invalidation's last status read, when waiting for it. */
  invalidationStatus?: string;
  /** How long the wait for the invalidation took, in ms. */
  invalidationWaitMs?: number;
  bytesUploaded: number;
  /** What stopped the run, if anything. */
  stoppedAt?: 'assets' | 'entry points' | 'manifest' | 'invalidation' | 'deletes';
  error?: string;
}
