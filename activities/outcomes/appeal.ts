import { localDate } from '../../domain/calendar';
import type { Json } from '../../domain/history';
import { jsonText } from '../../domain/history';
import type { Prisma } from '../../infra/prisma';
import { assessmentCase, enterResult } from '../../store/assessments';
import { dateValue } from '../../store/db';
import type { OutcomeApplier, OutcomeInput } from './types';

/**
 * What an upheld appeal changes on the records, by ground. The original case's history and its records entry stay
 * as they were; the appeal's own entry (AppealDecision) says what it reversed:
 * - exit: the worker is back in service (a status change of its own, from the appeal); elected posts the exit
 *   ended are not restored by it (免职/罢免 are undone by the bodies that made them);
 * - discipline: the measure no longer counts (the records read it through the appeal);
 * - error-tolerance and assessment: the ruling or result is set aside; the new one is a decision of its own.
 */
async function reverse(
  tx: Prisma.TransactionClient,
  input: OutcomeInput,
  ground: string,
  appealOf: string,
  decidedOn: string,
): Promise<Json> {
  if (ground === 'exit') {
    const exit = await tx.statusChange.findUnique({ where: { caseId: appealOf } });
    const worker = await tx.communityWorker.findUniqueOrThrow({ where: { id: input.subjectId } });
    if (!exit || worker.status !== exit.toStatus) return { setAside: appealOf, status: worker.status };
    await tx.statusChange.create({
      data: {
        workerId: worker.id,
        fromStatus: worker.status,
        toStatus: exit.fromStatus,
        reason: 'appeal-upheld',
        detail: { appealOf },
        effectiveFrom: dateValue(decidedOn),
        caseId: input.caseId,
      },
    });
    await tx.communityWorker.update({ where: { id: worker.id }, data: { status: exit.fromStatus } });
    return { setAside: appealOf, status: { from: worker.status, to: exit.fromStatus } };
  }
  if (ground === 'discipline') return { setAside: appealOf, disciplineLifted: appealOf };
  return { setAside: appealOf };
}

/** The appeal's decision enters the records beside the original; an upheld one reverses it (reverse above). */
export const applyAppeal: OutcomeApplier = async (tx, input): Promise<Json> => {
  const earlier = await tx.appealDecision.findUnique({ where: { caseId: input.caseId } });
  if (earlier) return { appealOf: earlier.appealOf, result: earlier.result, reversal: earlier.reversal as Json };
  const appealOf = jsonText(input.payload.appealOf);
  const ground = jsonText(input.payload.ground);
  const decision = input.stageData.decision ?? {};
  // The local (China Standard Time) day of the decision, as the appeal period counts it.
  const decidedOn = localDate(input.decidedAt ? new Date(input.decidedAt) : new Date());
  const result = input.outcome === 'upheld' ? 'upheld' : 'dismissed';
  const reversal = result === 'upheld' ? await reverse(tx, input, ground, appealOf, decidedOn) : {};
  await tx.appealDecision.create({
    data: {
      workerId: input.subjectId,
      caseId: input.caseId,
      appealOf,
      ground,
      result,
      reasoning: typeof decision.reasoning === 'string' ? decision.reasoning : '',
      decidedOn: dateValue(decidedOn),
      reversal: reversal as Prisma.InputJsonValue,
    },
  });
  // A review of an annual assessment decides when its result enters the records: dismissed, the original enters
  // now; upheld, the street's corrected result enters (store/assessments.ts).
  if (ground === 'assessment' && result === 'dismissed') {
    const original = await assessmentCase(tx, appealOf);
    if (original) {
      const entered: Json = { ...(await enterResult(tx, original)) };
      return { appealOf, result, reversal, entered };
    }
  }
  return { appealOf, result, reversal };
};
