import { z } from 'zod';
import type { Localized } from '../../localized';
import type { Approval } from '../../org';
import type { CaseTypeName } from '../names';
import { analogue, inferred, workingDays, type CaseTypeRules, type SourcedApproval } from '../../rules/provenance';
import { SRC } from '../../rules/sources';

/** What an appeal (复核/申诉) may be about: the kind of decision it asks to be reviewed. */
export const APPEAL_GROUNDS = ['error-tolerance', 'exit', 'assessment', 'discipline'] as const;
export type AppealGround = (typeof APPEAL_GROUNDS)[number];

/**
 * The kind of decision on the records each ground names (the original's case type, or `discipline` for a
 * disciplinary measure on the record, which no case type of this service decides). `assessment` is the annual
 * assessment's case type.
 */
export const GROUND_DECISION_KIND: Record<AppealGround, string> = {
  'error-tolerance': 'error-tolerance',
  exit: 'exit',
  assessment: 'assessment',
  discipline: 'discipline',
};

/**
 * What a decision on the records is, in words (the refusal of an appeal of the wrong kind names both): each
 * ground's kind and the case types' that can be appealed or named. The web labels the grounds themselves
 * (option.ground.*). Partial over the case types, so a new type needs nothing here (it is named as recorded).
 */
const DECISION_KIND_TITLES: Partial<Record<CaseTypeName, Localized>> & Record<'assessment' | 'discipline', Localized> = {
  'error-tolerance': { zh: '容错纠错认定', en: 'error-tolerance ruling' },
  exit: { zh: '退出决定', en: 'exit decision' },
  assessment: { zh: '年度考核结果', en: 'annual assessment result' },
  discipline: { zh: '处分', en: 'disciplinary measure' },
  promotion: { zh: '岗位等级晋升', en: 'post-grade promotion' },
  recruitment: { zh: '招录（聘）', en: 'recruitment' },
  'name-clearing': { zh: '澄清正名', en: 'name-clearing' },
  commendation: { zh: '表彰', en: 'commendation' },
  appeal: { zh: '复核决定', en: 'appeal decision' },
  secondment: { zh: '借调', en: 'secondment' },
};

/** A decision kind in words; a kind this service does not know is named as it is recorded. */
export function decisionKindTitle(kind: string): Localized {
  const title = Object.prototype.hasOwnProperty.call(DECISION_KIND_TITLES, kind)
    ? DECISION_KIND_TITLES[kind as keyof typeof DECISION_KIND_TITLES]
    : undefined;
  return title ?? { zh: kind, en: kind };
}

export interface AppealRules {
  /** Calendar days from the day of the decision within which an appeal is filed (自知道该处理决定之日起). */
  filingDays: number;
  /**
   * Whether an open appeal of an exit (解除/终止) holds the exit's effect: while it is open the records read the
   * worker as at post, pending the review (held), instead of gone. false: the exit stands while it is reviewed.
   */
  holdsExit: boolean;
}

export const appealRulesSchema = z.strictObject({ filingDays: z.int().min(1).max(3650), holdsExit: z.boolean() });

const body = (approval: Approval, provenance: SourcedApproval['provenance']): SourcedApproval => ({ approval, provenance });
const entries = (stage: string, make: (ground: AppealGround) => SourcedApproval) =>
  Object.fromEntries(
    (['error-tolerance', 'exit', 'assessment', 'discipline'] as const).map((g) => [`appeal.${stage}.${g}`, make(g)]),
  ) as Record<string, SourcedApproval>;

/**
 * Who hears an appeal, by ground: a body above or apart from the one that decided the original. The original's
 * deciders are refused by the engine whatever body hears it (recused, state.recused).
 */
const REVIEWER: Record<AppealGround, SourcedApproval> = {
  'error-tolerance': body(
    { level: 'county', department: 'organisation_hr' },
    inferred(
      'The ruling was made by the county discipline commission; its review goes to the organisation department, the other body the sources name for 容错 (Nanyang: 党委, 纪检监察机关 or 组织部门), so that it is apart from the original decider.',
    ),
  ),
  exit: body(
    { level: 'county', department: 'social_work' },
    inferred('The street decided the exit; the county social-work department, which leads community-worker affairs, is the body above it.'),
  ),
  assessment: body(
    { level: 'county', department: 'social_work' },
    analogue(
      SRC.beijingAssessmentReview,
      'Beijing 东城 (draft): the street-level 考评领导小组 hears 复核 requests; here the county social-work department, so the body is above the street that confirmed the result.',
    ),
  ),
  discipline: body(
    { level: 'county', department: 'discipline' },
    inferred('A disciplinary measure is reviewed by the county discipline commission, the level above the street that imposed it.'),
  ),
};

/** Appeal's values in the Jiangsu rules, with their sources (docs/policy.md). */
export const appealRules: CaseTypeRules<{ appeal: AppealRules }> = {
  periods: {
    'appeal.acceptance': { period: workingDays(5), provenance: inferred('No sourced limit for accepting a 复核/申诉.') },
    'appeal.hearing': { period: workingDays(10), provenance: inferred('No sourced limit for hearing the appellant.') },
    'appeal.decision': {
      period: { days: 30 },
      provenance: analogue(SRC.civilServiceLawReview, '公务员法 第九十五条: the body decides a 复核 within 30 days of accepting it.'),
    },
    'appeal.reply': { period: workingDays(5), provenance: inferred('No sourced limit for the written reply.') },
  },
  approvals: {
    ...entries('acceptance', (g) => REVIEWER[g]),
    ...entries('hearing', (g) => REVIEWER[g]),
    ...entries('decision', (g) => REVIEWER[g]),
    ...entries('reply', (g) => REVIEWER[g]),
  },
  appeal: { filingDays: 30, holdsExit: false },
  provenance: {
    'appeal.filingDays': analogue(
      SRC.civilServiceLawReview,
      '公务员法 第九十五条: a 复核 is asked for within 30 days of learning of the decision; applied to community workers, whose own rule is not located.',
    ),
    'appeal.holdsExit': analogue(
      SRC.civilServiceLawReview,
      '公务员法 第九十五条: 复核、申诉期间不停止人事处理的执行; no rule for community workers is located. So the exit stands while it is reviewed and an upheld appeal reverses it on the records. A county whose rules hold the exit sets true: the records then read the worker as at post until the appeal is decided.',
    ),
  },
};
