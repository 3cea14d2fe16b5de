import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { recordsWatchWorkflow } from '../workflows/records-watch';

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
