import type { z } from 'zod';
import { isIsoDate } from '../dates';
import type { Json } from '../history';
import type { DisciplineKind, Education, PersonnelRecord, WorkerStatus } from '../personnel';
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

export const DISCIPLINE_LABELS: Record<DisciplineKind, { zh: string; en: string }> = {
  warning: { zh: '警告', en: 'warning' },
  demerit: { zh: '记过', en: 'demerit' },
  major_demerit: { zh: '记大过', en: 'major demerit' },
  demotion: { zh: '降级', en: 'demotion' },
  dismissal_probation: { zh: '留用察看', en: 'dismissal on probation' },
};

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
  recruited: { zh: '已定向招录', en: 'recruited into another post' },
};

type Discipline = PersonnelRecord['disciplinary'][number];

/** In force on a date: started on or before it and not yet ended (endDate is the last day in force). */
export function inForceOn(record: Discipline, date: string): boolean {
  return record.startDate <= date && (record.endDate === null || record.endDate >= date);
}

/** Whether a measure starts or is in force at some point in [from, to]. */
export function overlaps(record: Discipline, from: string, to: string): boolean {
  return record.startDate <= to && (record.endDate === null || record.endDate >= from);
}

export function disciplineData(records: Discipline[]): Json[] {
  return records.map((d) => ({ kind: d.kind, startDate: d.startDate, endDate: d.endDate }));
}

export function describeDiscipline(records: Discipline[]): { zh: string; en: string } {
  return {
    zh: records.map((d) => `${DISCIPLINE_LABELS[d.kind].zh}（${d.startDate}起${d.endDate ? `至${d.endDate}` : ''}）`).join('、'),
    en: records.map((d) => `${DISCIPLINE_LABELS[d.kind].en} (from ${d.startDate}${d.endDate ? ` to ${d.endDate}` : ''})`).join(', '),
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

/** No measure of the given kinds in force on asOf. */
export function disciplineInForceReason(
  ruleId: string,
  worker: PersonnelRecord,
  asOf: string,
  kinds: readonly DisciplineKind[],
): EligibilityReason {
  const blocking = worker.disciplinary.filter((d) => kinds.includes(d.kind) && inForceOn(d, asOf));
  const text = describeDiscipline(blocking);
  return reason(
    ruleId,
    blocking.length === 0,
    blocking.length === 0 ? `${asOf}无影响期内的处分` : `${asOf}处分影响期内：${text.zh}`,
    blocking.length === 0 ? `No disciplinary measure in force on ${asOf}` : `Disciplinary measure in force on ${asOf}: ${text.en}`,
    { asOf, inForce: disciplineData(blocking), blockingKinds: [...kinds] },
  );
}

/**
 * An eligibility rule over the payload fields it reads (`request`, parsed here; the case type's own schema
 * validates the rest). An incomplete request is a failed rule with the problems, not an error.
 */
export function eligibilityRule<T>(
  request: z.ZodType<T>,
  evaluate: (record: PersonnelRecord, request: T, rules: RuleSet, asOf: string) => EligibilityResult,
): EligibilityRule {
  return (record, payload, rules, asOf) => {
    const parsed = request.safeParse(payload);
    if (parsed.success) return evaluate(record, parsed.data, rules, asOf);
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
    return resultOf([
      reason('request.payload', false, `申请内容不完整：${problems.join('；')}`, `The request is incomplete: ${problems.join('; ')}`, {
        problems,
      }),
    ]);
  };
}
