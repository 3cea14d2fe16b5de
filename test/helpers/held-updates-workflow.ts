import { allHandlersFinished, condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

/** An Update the workflow answers only once released: what a case busy with an earlier action looks like to the API. */
export const heldUpdate = defineUpdate<number, [string]>('held');
export const releaseSignal = defineSignal('release');

/** Records the Updates it received, in order, and answers each (with its place) once released (test/update-turns.test.ts). */
export async function heldUpdatesWorkflow(): Promise<string[]> {
  const received: string[] = [];
  let released = false;
  setHandler(heldUpdate, async (name) => {
    const nth = received.push(name);
    await condition(() => released);
    return nth;
  });
  setHandler(releaseSignal, () => {
    released = true;
  });
  await condition(() => released);
  await condition(allHandlersFinished);
  return received;
}
