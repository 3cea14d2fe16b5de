import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { recordsWatchWorkflow } from '../workflows/records-watch';
import type { notificationDispatchWorkflow } from '../workflows/notifications';

export const RECORDS_WATCH_SCHEDULE = 'records-watch-daily';

/**
 * Creates the daily records check's schedule (06:00 China Standard Time) unless it exists. Idempotent, so
 * every worker start may call it.
 */
export async function ensureRecordsWatchSchedule(client: Client, taskQueue: string): Promise<'created' | 'exists'> {
  try {
    await client.schedule.create({
      scheduleId: RECORDS_WATCH_SCHEDULE,
      spec: { calendars: [{ hour: 6, minute: 0 }], timezone: 'Asia/Shanghai' },
      action: {
        type: 'startWorkflow',
        workflowType: 'recordsWatchWorkflow' satisfies typeof recordsWatchWorkflow.name,
        taskQueue,
        args: [],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      memo: { purpose: '档案巡检: exit situations and qualification deadlines' },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'exists';
    throw err;
  }
}

/** One dispatcher per channel and task queue, each a long-running workflow with this id. */
export const dispatcherWorkflowId = (taskQueue: string, channel: 'email' | 'webhook') => `notifications-${channel}@${taskQueue}`;

/**
 * Starts the notification dispatchers (one workflow per channel, workflows/notifications.ts) unless they run.
 * Idempotent: a running one is left alone, so every worker start may call it.
 */
export async function ensureNotificationDispatchers(client: Client, taskQueue: string): Promise<void> {
  for (const channel of ['email', 'webhook'] as const) {
    await client.workflow.start('notificationDispatchWorkflow' satisfies typeof notificationDispatchWorkflow.name, {
      workflowId: dispatcherWorkflowId(taskQueue, channel),
      taskQueue,
      args: [channel],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
  }
}
