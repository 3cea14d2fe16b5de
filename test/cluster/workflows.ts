import { proxyActivities, sleep } from '@temporalio/workflow';
import type { ClusterProbeActivities } from './activities';

/** Trivial workflows that exercise the full server: an activity round trip, and a durable timer. */

const { greet } = proxyActivities<ClusterProbeActivities>({ startToCloseTimeout: '30 seconds' });

export async function greeting(name: string): Promise<string> {
  return greet(name);
}

/** Waits on a server-side timer, so it only finishes if the server's timer queue survives a crash. */
export async function afterTimer(ms: number): Promise<string> {
  await sleep(ms);
  return greet('after the timer');
}
