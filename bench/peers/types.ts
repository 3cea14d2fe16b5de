import type { E2eResult } from '../e2e';
import type { ManagedProcess } from '../stack';

/**
 * A peer: the system people in this field would run instead of this service, started beside the stack and
 * driven through the same end-to-end loops (bench/e2e.ts) at the same concurrency levels and durations, so
 * one run gives three columns: raw Temporal, the peer, this service.
 */
export interface Peer {
  /** As in `--peer`, and the name of its process in the resource samples. */
  name: string;
  /** For the report's column header. */
  title: string;
  processes: ManagedProcess[];
  logFile: string;
  versions: Record<string, string>;
  /** How it was configured, for the results. */
  info: Record<string, string>;
  /** The end-to-end loops against the peer; one case per loop iteration, as for the service. */
  run: (concurrency: number, seconds: number, label?: string) => Promise<E2eResult>;
  stop: () => Promise<void>;
}
