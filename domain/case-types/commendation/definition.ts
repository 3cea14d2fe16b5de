import { z } from 'zod';
import type { Condition, ProcessDefinition } from '../../process/definition';
import { AWARD_LEVELS, type AwardLevel } from './rules';

/** 表彰奖励: a commendation or award. */
export const commendationPayload = z.object({
  awardTitle: z.string().trim().min(1).max(200).describe('e.g. 优秀社区工作者'),
  achievements: z.string().trim().min(1).max(4000).describe('the deeds the nomination rests on'),
  level: z.enum(AWARD_LEVELS).default('county').describe('the level of the award: it decides who decides'),
});

/** The award is of this level or above: the level recommends it upward. */
const atLeast = (level: AwardLevel): Condition => ({ path: 'payload.level', in: AWARD_LEVELS.slice(AWARD_LEVELS.indexOf(level)) });
const decision = { name: 'awardedOn', title: { zh: '表彰日期', en: 'Awarded on' }, type: 'date', required: true } as const;

/**
 * Version 2: the street party committee recommends collectively; a discipline opinion with different views sends
 * the nomination back to it; an award above the county is recommended upward level by level and decided at its own
 * level (a national award's decision is recorded by the province, which recommended it); who decides each stage
 * is the approval matrix. Version 1 (always decided by the county): versions/v1.ts.
 */
export const definition = {
  type: 'commendation' as const,
  version: 2,
  title: { zh: '表彰奖励', en: 'Commendation' },
  description: {
    zh: '社区提名，街道（乡镇）党（工）委集体研究推荐，征求纪检监察机关意见并资格审查，评审，公示{period:commendation.notice}；县级以上表彰逐级推荐，由表彰级别的机关在{period:commendation.decision}内作出决定。',
    en: 'Nominated by the community, recommended collectively by the street party committee; the discipline commission gives its opinion and qualifications are reviewed; evaluation; a public notice of {period:commendation.notice}; awards above the county are recommended level by level, and the body of the award’s level decides within {period:commendation.decision}.',
  },
  payload: () => commendationPayload,
  stages: [
    {
      id: 'nomination',
      title: { zh: '社区党组织提名', en: 'Community nominates' },
      actor: 'commendation.nomination',
      mode: 'any',
      deadline: 'commendation.nomination',
      onExpiry: 'escalate',
    },
    {
      id: 'street-recommendation',
      title: { zh: '街道（乡镇）党（工）委集体研究推荐', en: 'Street party committee recommends collectively' },
      actor: 'commendation.street-recommendation',
      mode: 'collective',
      deadline: 'commendation.streetRecommendation',
      onExpiry: 'none',
    },
    {
      id: 'discipline-opinion',
      title: { zh: '征求纪检监察机关意见', en: "Discipline commission's opinion" },
      kind: 'record',
      actor: 'commendation.discipline-opinion',
      mode: 'any',
      deadline: 'commendation.disciplineOpinion',
      onExpiry: 'none',
      fields: [
        {
          name: 'opinion',
          title: { zh: '意见', en: 'Opinion' },
          type: 'enum',
          options: ['no-differing-views', 'differing-views'],
          required: true,
        },
        { name: 'remarks', title: { zh: '具体意见', en: 'Remarks' }, type: 'string' },
      ],
      decisive: [
        {
          when: { path: 'data.opinion', equals: 'differing-views' },
          effect: { backTo: 'street-recommendation' },
          reason: {
            zh: '纪检监察机关有不同意见，退回街道（乡镇）党（工）委研究决定',
            en: 'The discipline commission has differing views: back to the street party committee to decide',
          },
        },
      ],
    },
    {
      id: 'qualification-review',
      title: { zh: '资格审查', en: 'Qualification review' },
      actor: 'commendation.qualification-review',
      mode: 'any',
      deadline: 'commendation.qualificationReview',
      onExpiry: 'none',
      recheckEligibility: true,
    },
    {
      id: 'evaluation',
      title: { zh: '评审', en: 'Evaluation' },
      actor: 'commendation.evaluation',
      mode: 'all',
      deadline: 'commendation.evaluation',
      onExpiry: 'none',
    },
    {
      id: 'county-decision',
      title: { zh: '县（市、区）审批决定', en: 'County decides' },
      actor: 'commendation.decision.county',
      mode: 'any',
      deadline: 'commendation.decision',
      onExpiry: 'none',
      when: { path: 'payload.level', equals: 'county' },
      fields: [decision],
    },
    {
      id: 'county-recommendation',
      title: { zh: '县（市、区）推荐上报', en: 'County recommends upward' },
      actor: 'commendation.county-recommendation',
      mode: 'any',
      deadline: 'commendation.recommendation',
      onExpiry: 'none',
      when: atLeast('city'),
    },
    {
      id: 'city-decision',
      title: { zh: '市审批决定', en: 'City decides' },
      actor: 'commendation.decision.city',
      mode: 'any',
      deadline: 'commendation.decision',
      onExpiry: 'none',
      when: { path: 'payload.level', equals: 'city' },
      fields: [decision],
    },
    {
      id: 'city-recommendation',
      title: { zh: '市推荐上报', en: 'City recommends upward' },
      actor: 'commendation.city-recommendation',
      mode: 'any',
      deadline: 'commendation.recommendation',
      onExpiry: 'none',
      when: atLeast('province'),
    },
    {
      id: 'province-decision',
      title: { zh: '省审批决定', en: 'Province decides' },
      actor: 'commendation.decision.province',
      mode: 'any',
      deadline: 'commendation.decision',
      onExpiry: 'none',
      when: { path: 'payload.level', equals: 'province' },
      fields: [decision],
    },
    {
      id: 'province-recommendation',
      title: { zh: '省推荐上报', en: 'Province recommends upward' },
      actor: 'commendation.province-recommendation',
      mode: 'any',
      deadline: 'commendation.recommendation',
      onExpiry: 'none',
      when: atLeast('national'),
    },
    {
      id: 'national-decision',
      title: { zh: '记录全国表彰决定', en: 'National decision recorded' },
      kind: 'record',
      actor: 'commendation.decision.national',
      mode: 'any',
      deadline: 'commendation.decision',
      onExpiry: 'none',
      when: { path: 'payload.level', equals: 'national' },
      fields: [decision, { name: 'decisionRef', title: { zh: '表彰决定文号', en: 'Decision reference' }, type: 'string', required: true }],
    },
  ],
  publicNotice: { afterStage: 'evaluation', period: 'commendation.notice' },
} satisfies ProcessDefinition<typeof commendationPayload>;

/** The stages that decide an award, one per level: the outcome reads the date from whichever ran. */
export const DECISION_STAGES = ['county-decision', 'city-decision', 'province-decision', 'national-decision', 'decision'] as const;
