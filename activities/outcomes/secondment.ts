import { jsonText } from '../../domain/history';
import { dateValue } from '../../store/db';
import type { OutcomeApplier } from './types';

/**
 * An approved secondment goes on the records with its dates: the worker is at the borrowing body from `from` to
 * `to` and back at post the day after (the records' placement on a date reads these rows), unless an extension,
 * a row of its own, follows it.
 */
export const applySecondment: OutcomeApplier = async (tx, input) => {
  const earlier = await tx.secondment.findUnique({ where: { caseId: input.caseId } });
  const row =
    earlier ??
    (await tx.secondment.create({
      data: {
        workerId: input.subjectId,
        caseId: input.caseId,
        borrowingBody: jsonText(input.payload.borrowingBody),
        reason: jsonText(input.payload.reason),
        fromDate: dateValue(jsonText(input.payload.from)),
        toDate: dateValue(jsonText(input.payload.to)),
        extensionOf: typeof input.payload.extensionOf === 'string' ? input.payload.extensionOf : null,
      },
    }));
  return { secondmentId: row.id, borrowingBody: row.borrowingBody, extensionOf: row.extensionOf };
};
