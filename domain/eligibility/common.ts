import type { z } from 'zod';
import { EMPTY_CALENDAR, type WorkingCalendar } from '../calendar';
import { addDays, addMonths, isIsoDate } from '../dates';
import type { Json } from '../history';
import { DISCIPLINE_KIND_INFO, type Education, type PersonnelRecord, type WorkerStatus } from '../personnel';
import type { RuleSet } from '../rules/rule-set';
import type { EligibilityReason, EligibilityResult, EligibilityRule } from './types';

export function reason(ruleId: string, passed: boolean, zh: string, en: string, data: Record<string, Json>): EligibilityReason {
  return { ruleId, passed, detail: { zh, en }, data };
}

export function resultOf(reasons: EligibilityReason[]): EligibilityResult {
  return { eligible: reasons.every((r) => r.passed), reasons };
}

/** asOf comes from the caller (never the clock); a malformed one is a programming error, not a failed rule. */
export function assertAsOf(asOf: string): void {
  if (!isIsoDate(asOf)) throw new RangeError(`asOf must be a date YYYY-MM-DD, got ${JSON.stringify(asOf)}`);
}

export const EDUCATION_LABELS: Record<Education, { zh: string; en: string }> = {
  high_school: { zh: '高中', en: 'high school' },
  secondary_vocational: { zh: '中专', en: 'secondary vocational school' },
  junior_college: { zh: '大专', en: 'junior college' },
  bachelor: { zh: '本科', en: "bachelor's degree" },
  master: { zh: '硕士研究生', en: "master's degree" },
  doctorate: { zh: '博士研究生', en: 'doctorate' },
};

const STATUS_LABELS: Record<WorkerStatus, { zh: string; en: string }> = {
  active: { zh: '在岗', en: 'active' },
  exited: { zh: '已退出', en: 'exited' },
  recruited: { zh: '已定向招录（聘）', en: 'recruited into another post' },
};

type Discipline = PersonnelRecord['disciplinary'][number];

/** What a disciplinary measure bars while it has effect: a grade step or targeted recruitment, or a commendation. */
export type DisciplinePurpose = 'promotion' | 'commendation';

/**
 * The first day a measure no longer affects the purpose: its months of effect (discipline.effects) counted from
 * the day of the decision, or for a measure with a term of its own (留党察看) from the day after the term ends.
 */
export function effectEndsOn(record: Discipline, rules: RuleSet, purpose: DisciplinePurpose): string {
  const effect = rules.discipline.effects[record.kind];
  const months = purpose === 'promotion' ? effect.promotionMonths : effect.commendationMonths;
  const from = DISCIPLINE_KIND_INFO[record.kind].hasTerm && record.termEnd ? addDays(record.termEnd, 1) : record.startDate;
  return addMonths(from, months);
}

/** In effect on a date for the purpose: decided on or before it, and its effect not yet over. */
export function inEffectOn(record: Discipline, date: string, rules: RuleSet, purpose: DisciplinePurpose): boolean {
  return record.startDate <= date && date < effectEndsOn(record, rules, purpose);
}

export function disciplineData(records: Discipline[], rules: RuleSet, purpose: DisciplinePurpose): Json[] {
  return records.map((d) => ({
    kind: d.kind,
    family: DISCIPLINE_KIND_INFO[d.kind].family,
    startDate: d.startDate,
    termEnd: d.termEnd,
    effectEndsOn: effectEndsOn(d, rules, purpose),
  }));
}

export function describeDiscipline(records: Discipline[], rules: RuleSet, purpose: DisciplinePurpose): { zh: string; en: string } {
  const info = (d: Discipline) => DISCIPLINE_KIND_INFO[d.kind];
  return {
    zh: records.map((d) => `${info(d).zh}（${d.startDate}起，影响期至${addDays(effectEndsOn(d, rules, purpose), -1)}）`).join('、'),
    en: records
      .map((d) => `${info(d).en} (from ${d.startDate}, in effect until ${addDays(effectEndsOn(d, rules, purpose), -1)})`)
      .join(', '),
  };
}

export function statusReason(ruleId: string, worker: PersonnelRecord): EligibilityReason {
  const active = worker.status === 'active';
  return reason(
    ruleId,
    active,
    active ? '在岗社区工作者' : `人员状态为“${STATUS_LABELS[worker.status].zh}”，不是在岗社区工作者`,
    active ? 'The worker is active' : `The worker is ${STATUS_LABELS[worker.status].en}, not active`,
    { status: worker.status },
  );
}

/** No disciplinary measure whose effect on the purpose (discipline.effects) runs on asOf. */
export function disciplineEffectReason(
  ruleId: string,
  worker: PersonnelRecord,
  asOf: string,
  rules: RuleSet,
  purpose: DisciplinePurpose,
): EligibilityReason {
  const blocking = worker.disciplinary.filter((d) => inEffectOn(d, asOf, rules, purpose));
  const text = describeDiscipline(blocking, rules, purpose);
  return reason(
    ruleId,
    blocking.length === 0,
    blocking.length === 0 ? `${asOf}无影响期内的处分` : `${asOf}处分影响期内：${text.zh}`,
    blocking.length === 0 ? `No disciplinary measure in effect on ${asOf}` : `Disciplinary measure in effect on ${asOf}: ${text.en}`,
    { asOf, purpose, inEffect: disciplineData(blocking, rules, purpose) },
  );
}

/**
 * An eligibility rule over the payload fields it reads (`request`, parsed here; the case type's own schema
 * validates the rest). An incomplete request is a failed rule with the problems, not an error.
 */
export function eligibilityRule<T>(
  request: z.ZodType<T>,
  evaluate: (record: PersonnelRecord, request: T, rules: RuleSet, asOf: string, calendar: WorkingCalendar) => EligibilityResult,
): EligibilityRule {
  return (record, payload, rules, asOf, calendar = EMPTY_CALENDAR) => {
    const parsed = request.safeParse(payload);
    if (parsed.success) return evaluate(record, parsed.data, rules, asOf, calendar);
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
    return resultOf([
      reason('request.payload', false, `申请内容不完整：${problems.join('；')}`, `The request is incomplete: ${problems.join('; ')}`, {
        problems,
      }),
    ]);
  };
}
