import { condition, defineUpdate, setHandler } from '@temporalio/workflow';

/**
 * The benchmark's baseline: the smallest workflow that is started and then completed by one Update. No
 * activities, no timers, no payload to speak of: what the Temporal server and SDK cost on their own.
 */
export const completeUpdate = defineUpdate<number, []>('complete');

export async function baselineWorkflow(): Promise<number> {
  let done = false;
  setHandler(completeUpdate, () => {
    done = true;
    return 1;
  });
  await condition(() => done);
  return 1;
}
