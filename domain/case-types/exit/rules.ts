import { z } from 'zod';
import type { Localized } from '../../localized';
import type { AssessmentResult } from '../../personnel';
import { analogue, inferred, sourced, workingDays, type CaseTypeRules } from '../../rules/provenance';
import { calendarDate } from '../../dates';
import { assessmentResult, count, localized, positive } from '../../rules/schema-parts';
import { SRC } from '../../rules/sources';

export interface ExitReason {
  code: string;
  title: Localized;
  /** confirmed: quoted from the Jiangsu 16条; inferred: a candidate from analogues, not the official list. */
  status: 'confirmed' | 'inferred';
  basis: string;
}

/** An exit situation that follows from annual assessments alone. */
export interface AssessmentTrigger {
  reasonCode: string;
  result: AssessmentResult;
  consecutiveYears: number;
  /** Whether a worse result also continues the run (基本合格, 不合格, 基本合格 as three weak years). */
  orWorse?: boolean;
}

export interface ExitRules {
  reasons: ExitReason[];
  assessmentTriggers: AssessmentTrigger[];
  qualification: QualificationDeadlineRules;
}

/** 取得社会工作者职业资格证书期限: the 16条's rule for new hires. */
export interface QualificationDeadlineRules {
  /** The certificate is due within this many years of becoming eligible to sit the exam … */
  years: number;
  /** … for workers hired on or after this date (the rule's effective date) … */
  effectiveFrom: string;
  /** … or for everyone, whenever hired (a county may so decide). */
  appliesTo: 'hired-on-or-after' | 'everyone';
  /** The years count from the date of eligibility, or from the later of it and the hire date (someone hired already eligible). */
  countsFrom: 'eligibility' | 'later-of-eligibility-and-hire';
  /** Warn this many calendar days before the deadline. */
  warningDays: number;
  /** The exit reason an overdue certificate raises; absent: an overdue certificate is not an exit trigger. */
  reasonCode?: string;
}

export const exitRulesSchema = z
  .strictObject({
    reasons: z
      .array(
        z.strictObject({
          code: z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'a code is lower-case letters, digits and "-"' }),
          title: localized,
          status: z.enum(['confirmed', 'inferred']),
          basis: z.string().min(1),
        }),
      )
      .min(1),
    assessmentTriggers: z.array(
      z.strictObject({
        reasonCode: z.string(),
        result: assessmentResult,
        consecutiveYears: positive,
        orWorse: z.boolean().optional(),
      }),
    ),
    qualification: z.strictObject({
      years: positive,
      effectiveFrom: calendarDate,
      appliesTo: z.enum(['hired-on-or-after', 'everyone']),
      countsFrom: z.enum(['eligibility', 'later-of-eligibility-and-hire']),
      warningDays: count,
      reasonCode: z.string().optional(),
    }),
  })
  .superRefine((rules, ctx) => {
    const codes = new Set<string>();
    rules.reasons.forEach((reason, i) => {
      if (codes.has(reason.code))
        ctx.addIssue({ code: 'custom', path: ['reasons', i, 'code'], message: `duplicate code "${reason.code}"` });
      codes.add(reason.code);
    });
    rules.assessmentTriggers.forEach((trigger, i) => {
      if (!codes.has(trigger.reasonCode)) {
        ctx.addIssue({
          code: 'custom',
          path: ['assessmentTriggers', i, 'reasonCode'],
          message: `no exit reason has code "${trigger.reasonCode}"`,
        });
      }
    });
    const code = rules.qualification.reasonCode;
    if (code !== undefined && !codes.has(code)) {
      ctx.addIssue({ code: 'custom', path: ['qualification', 'reasonCode'], message: `no exit reason has code "${code}"` });
    }
  });

/** Exit's values in the Jiangsu rules, with their sources (docs/policy.md). */
export const exitRules: CaseTypeRules<{ exit: ExitRules }> = {
  periods: {
    'exit.verification': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'exit.hearing': { period: workingDays(5), provenance: inferred('No sourced limit.') },
    'exit.decision': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'exit.partyPostRemoval': { period: workingDays(10), provenance: inferred('No sourced limit for 免职.') },
    'exit.recall': { period: workingDays(30), provenance: inferred('No sourced limit for convening the residents’ meeting (罢免).') },
    'exit.contract': { period: workingDays(10), provenance: inferred('No sourced limit.') },
  },
  approvals: {
    'exit.verification': {
      approval: { level: 'street', department: 'street_office' },
      provenance: inferred('The street office, the employer, establishes the facts of the exit situation.'),
    },
    'exit.hearing': {
      approval: { level: 'street', department: 'street_office' },
      provenance: inferred('The worker is heard before the decision, by the street office.'),
    },
    'exit.street-decision': {
      approval: { level: 'street', department: 'party_committee' },
      provenance: sourced(SRC.jiangsu2019, 'The 乡镇(街道)党(工)委 manages community workers (§8); it decides their exit collectively.'),
    },
    'exit.party-post-removal': {
      approval: { level: 'street', department: 'party_committee' },
      provenance: analogue(SRC.wuhan, '免职 of party posts by the party organisation one level up: the street party committee.'),
    },
    'exit.recall': {
      approval: { level: 'street', department: 'street_office' },
      provenance: sourced(
        SRC.residentsCommitteeLaw,
        'The residents’ meeting (居民会议) recalls members of the residents’ committee; the street office, which guides it, records its vote.',
      ),
    },
    'exit.contract-termination': {
      approval: { level: 'street', department: 'street_office' },
      provenance: analogue(SRC.wuhan, 'The employer ends the labour contract (依法解除劳动合同), after 免职/罢免 for elected members.'),
    },
  },
  exit: {
    reasons: [
      {
        code: 'consecutive-incompetent',
        title: { zh: '连续两年考核不合格', en: 'Incompetent in the annual assessment two years running' },
        status: 'confirmed',
        basis: `${SRC.jiangsu16}: 「连续两年考核不合格或者连续三年考核基本合格」 (one situation of the six, split in two here)`,
      },
      {
        code: 'consecutive-basically-competent',
        title: { zh: '连续三年考核基本合格', en: 'Basically competent in the annual assessment three years running' },
        status: 'confirmed',
        basis: `${SRC.jiangsu16}: 「连续两年考核不合格或者连续三年考核基本合格」 (one situation of the six, split in two here)`,
      },
      {
        code: 'dereliction',
        title: {
          zh: '因工作失职，造成居民群众利益重大损失或者造成恶劣影响',
          en: 'Dereliction of duty causing residents major loss or a grave public impact',
        },
        status: 'confirmed',
        basis: `${SRC.jiangsu16}: 「因工作失职，造成居民群众利益重大损失或者造成恶劣影响」`,
      },
      {
        code: 'probation-failed',
        title: { zh: '试用期考核不合格', en: 'Failed the probation assessment' },
        status: 'inferred',
        basis: `Candidate, not the official list: ${SRC.wuhan} 「试用期考核不合格的」`,
      },
      {
        code: 'no-qualification',
        title: {
          zh: '在规定期限内未取得社会工作者职业资格证书',
          en: 'No social-work certificate within the deadline',
        },
        status: 'inferred',
        basis: `Candidate, not the official list: mirrors the 16条 entry rule (certificate within 3 years of becoming eligible), ${SRC.jiangsu16}`,
      },
      {
        code: 'discipline-or-crime',
        title: { zh: '违纪违法或者受到刑事处罚', en: 'Breach of discipline or law, or a criminal penalty' },
        status: 'inferred',
        basis: `Candidate, not the official list: ${SRC.dalian} 「被依法追究刑事责任」; Hangzhou 下城区 2010 违纪违法`,
      },
      {
        code: 'incapable',
        title: {
          zh: '不能胜任工作，经培训或者调整岗位仍不能胜任',
          en: 'Unable to do the work, still after training or a change of post',
        },
        status: 'inferred',
        basis: `Candidate, not the official list: ${SRC.dalian} 「不能胜任、经培训或调整岗位仍不能胜任」`,
      },
    ],
    assessmentTriggers: [
      { reasonCode: 'consecutive-incompetent', result: 'incompetent', consecutiveYears: 2 },
      { reasonCode: 'consecutive-basically-competent', result: 'basically_competent', consecutiveYears: 3, orWorse: true },
    ],
    qualification: {
      years: 3,
      effectiveFrom: '2025-01-01',
      appliesTo: 'hired-on-or-after',
      countsFrom: 'eligibility',
      warningDays: 90,
      reasonCode: 'no-qualification',
    },
  },
  provenance: {
    'exit.reasons.consecutive-incompetent': sourced(SRC.jiangsu16),
    'exit.reasons.consecutive-basically-competent': sourced(SRC.jiangsu16),
    'exit.reasons.dereliction': sourced(SRC.jiangsu16),
    'exit.reasons.probation-failed': inferred('One of the 4 unquoted situations of the 16条, guessed from analogues.'),
    'exit.reasons.no-qualification': inferred('One of the 4 unquoted situations of the 16条, guessed from the entry rule.'),
    'exit.reasons.discipline-or-crime': inferred('One of the 4 unquoted situations of the 16条, guessed from analogues.'),
    'exit.reasons.incapable': inferred('One of the 4 unquoted situations of the 16条, guessed from analogues.'),
    'exit.assessmentTriggers': sourced(SRC.jiangsu16, '2 × 不合格 or 3 × 基本合格 in consecutive years.'),
    'exit.assessmentTriggers.consecutive-basically-competent.orWorse': inferred(
      'A 不合格 inside a run of 基本合格 continues the run rather than breaking it.',
    ),
    'exit.qualification.years': sourced(
      SRC.jiangsu16,
      'New hires obtain the certificate within 3 years after becoming eligible for the exam.',
    ),
    'exit.qualification.effectiveFrom': inferred(
      'The 16条 states the deadline for new hires; the date it took effect is not recorded, so the start of the rule set’s year is used.',
    ),
    'exit.qualification.appliesTo': sourced(
      SRC.jiangsu16,
      'A rule for new hires: workers hired before it took effect are not bound (a county may apply it to everyone).',
    ),
    'exit.qualification.countsFrom': sourced(
      SRC.jiangsu16,
      '「取得参加社会工作者职业资格考试资格后3年内」: from the date of eligibility, as written; a county may count a worker hired when already eligible from the hire date (later-of-eligibility-and-hire).',
    ),
    'exit.qualification.warningDays': inferred('Warn 90 days before the certificate deadline.'),
    'exit.qualification.reasonCode': inferred('An overdue certificate raises the inferred exit reason no-qualification.'),
  },
};
