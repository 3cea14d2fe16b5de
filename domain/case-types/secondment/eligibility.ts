import { z } from 'zod';
import { startOfLocalDate, workingDaysBetween, type WorkingCalendar } from '../../calendar';
import { addDays, addMonths, calendarDate } from '../../dates';
import { eligibilityRule, reason, resultOf } from '../../eligibility/common';
import type { EligibilityReason, EligibilityResult } from '../../eligibility/types';
import type { PersonnelRecord, SecondmentEntry } from '../../personnel';
import type { RuleSet } from '../../rules/rule-set';

export interface SecondmentRequest {
  from: string;
  to: string;
  extensionOf?: string | undefined;
}

/**
 * The last day of a term of `months` months that starts on `from` (its first day): the day before the same day
 * `months` later (6 months from 1 March: 31 August), or the end of that month when it has no such day (from 31
 * August: 28 or 29 February).
 */
export function lastDayOfTerm(from: string, months: number): string {
  const same = addMonths(from, months);
  return same.slice(8) === from.slice(8) ? addDays(same, -1) : same;
}

/** The secondment a chain of extensions started with: follows extensionOf back to the first. */
function chainStartOf(entry: SecondmentEntry, all: SecondmentEntry[]): SecondmentEntry {
  let first = entry;
  for (let guard = 0; first.extensionOf && guard < all.length; guard += 1) {
    const earlier = all.find((s) => s.caseId === first.extensionOf);
    if (!earlier) break;
    first = earlier;
  }
  return first;
}

/**
 * A secondment within the rule set's limits (secondment.*): at most maxMonthsAtATime per term; an extension follows
 * the secondment it extends without a gap, is asked for at least extensionNoticeWorkingDays working days before
 * that one ends, and keeps the whole chain within maxMonthsInTotal; a new secondment overlaps none on record and
 * starts only after coolingOffMonths since the last one ended. Each refusal names the limit and the dates.
 */
export function evaluateSecondment(
  record: PersonnelRecord,
  request: SecondmentRequest,
  rules: RuleSet,
  asOf: string,
  calendar: WorkingCalendar,
): EligibilityResult {
  const limits = rules.secondment;
  const all = record.secondments ?? [];
  const reasons: EligibilityReason[] = [];
  const notOver = request.to >= asOf;
  reasons.push(
    reason(
      'secondment.dates',
      notOver,
      notOver ? `借调期${request.from}至${request.to}` : `借调期已于${request.to}结束，不能再审批`,
      notOver ? `Seconded from ${request.from} to ${request.to}` : `The secondment ended on ${request.to}; it cannot be approved now`,
      { from: request.from, to: request.to, asOf },
    ),
  );
  const termEnd = lastDayOfTerm(request.from, limits.maxMonthsAtATime);
  const termOk = request.to <= termEnd;
  reasons.push(
    reason(
      'secondment.term',
      termOk,
      termOk
        ? `本次借调不超过${limits.maxMonthsAtATime}个月（最迟至${termEnd}）`
        : `本次借调超过${limits.maxMonthsAtATime}个月：自${request.from}起最迟至${termEnd}，申请至${request.to}`,
      termOk
        ? `Within ${limits.maxMonthsAtATime} months at a time (until ${termEnd} at the latest)`
        : `Longer than ${limits.maxMonthsAtATime} months at a time: from ${request.from} it may run until ${termEnd}, not ${request.to}`,
      { from: request.from, to: request.to, maxMonthsAtATime: limits.maxMonthsAtATime, latestEnd: termEnd },
    ),
  );
  if (request.extensionOf !== undefined) {
    const previous = all.find((s) => s.caseId === request.extensionOf);
    if (!previous) {
      reasons.push(
        reason(
          'secondment.extension-of',
          false,
          `档案中没有被延期的借调${request.extensionOf}`,
          `No secondment ${request.extensionOf} is on the records to extend`,
          { extensionOf: request.extensionOf },
        ),
      );
      return resultOf(reasons);
    }
    const extendedAlready = all.some((s) => s.extensionOf === previous.caseId);
    const follows = !extendedAlready && request.from === addDays(previous.to, 1);
    reasons.push(
      reason(
        'secondment.extension-follows',
        follows,
        follows
          ? `延期紧接${previous.to}结束的借调`
          : extendedAlready
            ? `借调${previous.caseId}已延期，只能延期最后一期`
            : `延期须自${addDays(previous.to, 1)}起，紧接原借调`,
        follows
          ? `The extension follows the secondment ending on ${previous.to}`
          : extendedAlready
            ? `Secondment ${previous.caseId} was extended already; only the latest term can be extended`
            : `An extension starts on ${addDays(previous.to, 1)}, the day after the secondment it extends`,
        { extensionOf: previous.caseId, previousTo: previous.to, from: request.from },
      ),
    );
    const left = workingDaysBetween(startOfLocalDate(asOf), startOfLocalDate(previous.to), calendar);
    const inTime = left >= limits.extensionNoticeWorkingDays;
    reasons.push(
      reason(
        'secondment.extension-notice',
        inTime,
        inTime
          ? `距借调期满尚有${left}个工作日，不少于${limits.extensionNoticeWorkingDays}个工作日`
          : `延期须在借调期满${limits.extensionNoticeWorkingDays}个工作日前申请，距${previous.to}期满仅余${left}个工作日`,
        inTime
          ? `${left} working days before the end, at least ${limits.extensionNoticeWorkingDays}`
          : `An extension is asked for at least ${limits.extensionNoticeWorkingDays} working days before the end; only ${left} are left before ${previous.to}`,
        { previousTo: previous.to, workingDaysLeft: left, extensionNoticeWorkingDays: limits.extensionNoticeWorkingDays, asOf },
      ),
    );
    const first = chainStartOf(previous, all);
    const totalEnd = lastDayOfTerm(first.from, limits.maxMonthsInTotal);
    const totalOk = request.to <= totalEnd;
    reasons.push(
      reason(
        'secondment.total',
        totalOk,
        totalOk
          ? `累计借调不超过${limits.maxMonthsInTotal}个月（自${first.from}起最迟至${totalEnd}）`
          : `累计借调超过${limits.maxMonthsInTotal}个月：自${first.from}起最迟至${totalEnd}，申请至${request.to}`,
        totalOk
          ? `Within ${limits.maxMonthsInTotal} months in total (from ${first.from}, until ${totalEnd} at the latest)`
          : `Longer than ${limits.maxMonthsInTotal} months in total: from ${first.from} it may run until ${totalEnd}, not ${request.to}`,
        { firstFrom: first.from, to: request.to, maxMonthsInTotal: limits.maxMonthsInTotal, latestEnd: totalEnd },
      ),
    );
    return resultOf(reasons);
  }
  const overlapping = all.find((s) => s.from <= request.to && request.from <= s.to);
  reasons.push(
    reason(
      'secondment.overlap',
      !overlapping,
      overlapping ? `${overlapping.from}至${overlapping.to}已借调至${overlapping.borrowingBody}，续借须申请延期` : '与已有借调不重叠',
      overlapping
        ? `Already seconded to ${overlapping.borrowingBody} from ${overlapping.from} to ${overlapping.to}; ask for an extension instead`
        : 'Overlaps no secondment on record',
      overlapping ? { caseId: overlapping.caseId, from: overlapping.from, to: overlapping.to } : {},
    ),
  );
  const ended = all.filter((s) => s.to < request.from).map((s) => s.to);
  const lastEnd = ended.length ? ended.reduce((a, b) => (a > b ? a : b)) : null;
  const earliest = lastEnd === null ? null : addDays(addMonths(lastEnd, limits.coolingOffMonths), 1);
  const cooled = earliest === null || request.from >= earliest;
  reasons.push(
    reason(
      'secondment.cooling-off',
      cooled,
      lastEnd === null
        ? '此前无借调'
        : cooled
          ? `上次借调于${lastEnd}结束，已满${limits.coolingOffMonths}个月`
          : `上次借调于${lastEnd}结束，${limits.coolingOffMonths}个月内不得再次借调（最早${earliest}）`,
      lastEnd === null
        ? 'No earlier secondment'
        : cooled
          ? `The last secondment ended on ${lastEnd}, more than ${limits.coolingOffMonths} months before`
          : `The last secondment ended on ${lastEnd}; no new one within ${limits.coolingOffMonths} months (from ${earliest} at the earliest)`,
      { lastEnded: lastEnd, coolingOffMonths: limits.coolingOffMonths, earliestStart: earliest, from: request.from },
    ),
  );
  return resultOf(reasons);
}

export const secondmentEligibility = eligibilityRule(
  z.object({ from: calendarDate, to: calendarDate, extensionOf: z.string().optional() }),
  evaluateSecondment,
);

/** What the daily records check says about a worker's secondments: one ending soon, or one that has ended. */
export type SecondmentNotice =
  | { kind: 'secondment-ending'; caseId: string; to: string; workingDaysLeft: number }
  | { kind: 'secondment-returned'; caseId: string; to: string; backOn: string };

/**
 * The notices of the daily records check (借调期满提醒): a secondment not extended whose last day is within
 * reminderWorkingDays working days is ending (the borrowing body and the street are reminded, and an extension can
 * still be asked for until extensionNoticeWorkingDays before it); one whose last day has passed without an extension
 * has returned the worker to post the day after it (the placement on a date reads the same rows).
 */
export function secondmentNotices(
  secondments: SecondmentEntry[],
  rules: RuleSet,
  asOf: string,
  calendar: WorkingCalendar,
): SecondmentNotice[] {
  const notices: SecondmentNotice[] = [];
  for (const s of secondments) {
    if (secondments.some((later) => later.extensionOf === s.caseId)) continue;
    if (s.to < asOf) {
      notices.push({ kind: 'secondment-returned', caseId: s.caseId, to: s.to, backOn: addDays(s.to, 1) });
      continue;
    }
    if (s.from > asOf) continue;
    const left = workingDaysBetween(startOfLocalDate(asOf), startOfLocalDate(s.to), calendar);
    if (left <= rules.secondment.reminderWorkingDays)
      notices.push({ kind: 'secondment-ending', caseId: s.caseId, to: s.to, workingDaysLeft: left });
  }
  return notices;
}
