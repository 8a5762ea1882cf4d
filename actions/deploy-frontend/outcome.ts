import type { Change } from './upload-plan.js';

/** What carrying out a plan did, step by step, and where it stopped. */
export interface Outcome {
  done: Change[];
  failed: Array<{ change: Change; message: string }>;
  /** Changes not attempted because something before them failed. */
  notStarted: Change[];
  deleted: string[];
  invalidationId?: string;
  bytesUploaded: number;
  /** What stopped the run, if anything. */
  stoppedAt?: 'assets' | 'entry points' | 'manifest' | 'invalidation' | 'deletes';
  error?: string;
}
