import { MockActivityEnvironment } from '@temporalio/testing';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../activities';
import { createNotificationActivities } from '../activities/notifications';
import { outboxStore } from '../store/notifications';
import { createTestDatabase, type TestDatabase } from './helpers/database';

/**
 * A delivery window ends when its worker starts shutting down, not when the window runs out: the SDK cancels an
 * activity only after the worker's shutdown grace, so a full window would hold every stopping worker (and a
 * profiled bench run's worker, killed before it could write its profile) for up to its length. The window here is
 * an hour: without the check this test would only end at Jest's timeout.
 */
describe('notification delivery window and worker shutdown', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  test('an idle window returns at its next check once the worker is stopping', async () => {
    let stopping = false;
    const activities = createNotificationActivities({
      outbox: outboxStore(db.prisma),
      // Polls the outbox every 10 minutes: the stopping worker is still noticed within a second's sleep.
      settings: { ...DEFAULT_NOTIFICATION_SETTINGS, pollMs: 600_000 },
      stopping: () => stopping,
    });
    const env = new MockActivityEnvironment();
    let heartbeats = 0;
    const polled = new Promise<void>((resolve) =>
      env.on('heartbeat', () => {
        heartbeats += 1;
        resolve();
      }),
    );
    const window = env.run(() => activities.deliverNotifications({ channel: 'email', windowMs: 3_600_000 }));
    await polled; // the outbox was claimed from once (it is empty); the activity now waits for the next poll
    stopping = true;
    await expect(window).resolves.toEqual({ sent: 0, failed: 0 });
    expect(heartbeats).toBe(1);
  });
});
