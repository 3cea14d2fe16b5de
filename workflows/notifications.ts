import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** How long one activity delivers before it returns, and how many rounds one run takes before it continues as new. */
const WINDOW_MS = 30_000;
const ROUNDS_PER_RUN = 100;

const { deliverNotifications } = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  // A worker that dies mid-round is noticed by its missing heartbeat; what it had claimed is claimed again
  // when its lease ends (activities/notifications.ts), and what it had marked sent is never sent again.
  heartbeatTimeout: '20 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The notification dispatcher of one channel (email or webhook): rounds of the deliver activity, which sends what
 * the outbox holds and waits for more. The outbox, not this history, holds the state, so a run may end anywhere.
 */
export async function notificationDispatchWorkflow(channel: 'email' | 'webhook'): Promise<void> {
  for (let round = 0; round < ROUNDS_PER_RUN; round += 1) {
    await deliverNotifications({ channel, windowMs: WINDOW_MS });
  }
  await continueAsNew<typeof notificationDispatchWorkflow>(channel);
}
