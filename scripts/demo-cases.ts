import type { Client } from '@temporalio/client';
import type { PrismaClient } from '../infra/prisma';
import { runScenario, SCENARIOS } from './history-scenarios';

/**
 * Demo cases that need the workflows running, started by `npm start` after the seed: an exit decided and an
 * appeal of it still open (awaiting acceptance at the county), so the demo shows an open appeal, the link on both
 * cases, and the exit standing while it is reviewed (or held, where the county's rules set appeal.holdsExit). They run through the case workflow with the steps of the saved
 * histories' scenarios (scripts/history-scenarios.ts), as each user would take them. Safe to repeat: a case
 * already on record is left alone, and nothing starts for a worker who is no longer in service.
 */
export const DEMO_CASES = { exit: 'demo-exit-w-jyj-02', appeal: 'demo-appeal-w-jyj-02' } as const;

export async function seedDemoCases(client: Client, taskQueue: string, prisma: PrismaClient): Promise<string[]> {
  const exitScenario = SCENARIOS.exit.find((s) => s.name === 'exit-v2-heard-removed-recalled');
  const appealScenario = SCENARIOS.appeal.find((s) => s.name === 'appeal-exit-upheld');
  if (!exitScenario || !appealScenario) throw new Error('the demo cases name scenarios that no longer exist');
  const statusOf = async (id: string) => (await prisma.case.findUnique({ where: { id }, select: { status: true } }))?.status;
  const started: string[] = [];
  if (!(await statusOf(DEMO_CASES.exit))) {
    const worker = await prisma.communityWorker.findUnique({ where: { id: exitScenario.subjectId }, select: { status: true } });
    if (worker?.status !== 'active') return started;
    await (await runScenario(client, taskQueue, 'exit', exitScenario, DEMO_CASES.exit)).result();
    started.push(DEMO_CASES.exit);
  }
  if ((await statusOf(DEMO_CASES.exit)) === 'completed' && !(await statusOf(DEMO_CASES.appeal))) {
    // Filed, not yet taken up: the appeal stays open at its first stage.
    await runScenario(client, taskQueue, 'appeal', { ...appealScenario, steps: [] }, DEMO_CASES.appeal, () => DEMO_CASES.exit);
    // On record once its admission is written, so that a repeat finds it.
    for (let waited = 0; !(await statusOf(DEMO_CASES.appeal)); waited += 200) {
      if (waited > 60_000) throw new Error(`the demo appeal ${DEMO_CASES.appeal} was started but is not on record`);
      await new Promise((r) => setTimeout(r, 200));
    }
    started.push(DEMO_CASES.appeal);
  }
  return started;
}
