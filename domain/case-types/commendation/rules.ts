import { z } from 'zod';
import type { Approval } from '../../org';
import type { AssessmentResult } from '../../personnel';
import { analogue, inferred, workingDays, type CaseTypeRules, type SourcedApproval } from '../../rules/provenance';
import { assessmentResult } from '../../rules/schema-parts';
import { SRC } from '../../rules/sources';

/** The levels of an award, lowest first; each is recommended upward by the levels below it. */
export const AWARD_LEVELS = ['county', 'city', 'province', 'national'] as const;
export type AwardLevel = (typeof AWARD_LEVELS)[number];

export interface CommendationRules {
  /** The previous year's annual assessment must be at least this. (Disciplinary measures: discipline.effects.) */
  minLatestAssessment: AssessmentResult;
}

export const commendationRulesSchema = z.strictObject({ minLatestAssessment: assessmentResult });

const levelAbove = (approval: Approval, provenance: SourcedApproval['provenance']): SourcedApproval => ({ approval, provenance });
const upward = inferred(
  'Awards are recommended and selected level by level (逐级推荐); the social-work department of each level (党委社会工作部) recommends to the next.',
);

/** Commendation's values in the Jiangsu rules, with their sources (docs/policy.md). */
export const commendationRules: CaseTypeRules<{ commendation: CommendationRules }> = {
  periods: {
    'commendation.nomination': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'commendation.streetRecommendation': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'commendation.disciplineOpinion': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'commendation.qualificationReview': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'commendation.evaluation': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'commendation.recommendation': { period: workingDays(10), provenance: inferred('No sourced limit for a recommendation upward.') },
    'commendation.notice': {
      period: workingDays(5),
      provenance: analogue(SRC.nationalCommendation, '公示 5 working days for the national award (some provincial rules: 7 days).'),
    },
    'commendation.decision': {
      period: { days: 30 },
      provenance: analogue(
        SRC.provincialAward,
        'The approving body decides within 30 days of receiving the materials (a provincial rule, province not named).',
      ),
    },
  },
  approvals: {
    'commendation.nomination': levelAbove(
      { level: 'community', department: 'party_organisation', escalateTo: { level: 'street', department: 'party_committee' } },
      analogue(SRC.nationalCommendation, 'Nominated by the community (民主推荐); an overdue nomination goes to the street.'),
    ),
    'commendation.street-recommendation': levelAbove(
      { level: 'street', department: 'party_committee' },
      inferred('The street party committee decides collectively whom to recommend.'),
    ),
    'commendation.discipline-opinion': levelAbove(
      { level: 'street', department: 'discipline' },
      analogue(SRC.provincialAward, 'For people in leadership posts the nominating unit asks the discipline body for its opinion.'),
    ),
    'commendation.qualification-review': levelAbove(
      { level: 'county', department: 'social_work' },
      analogue(SRC.nationalCommendation, '资格审查.'),
    ),
    'commendation.evaluation': levelAbove({ level: 'county', department: 'social_work' }, analogue(SRC.nationalCommendation, '评审.')),
    'commendation.county-recommendation': levelAbove({ level: 'county', department: 'social_work' }, upward),
    'commendation.city-recommendation': levelAbove({ level: 'city', department: 'social_work' }, upward),
    'commendation.province-recommendation': levelAbove({ level: 'province', department: 'social_work' }, upward),
    'commendation.decision.county': levelAbove(
      { level: 'county', department: 'organisation_hr' },
      inferred(
        'A county award is decided at the county: the organisation department for the county party committee, apart from the social-work department that reviewed and evaluated it.',
      ),
    ),
    'commendation.decision.city': levelAbove(
      { level: 'city', department: 'social_work' },
      inferred('A city award is decided at the city.'),
    ),
    'commendation.decision.province': levelAbove(
      { level: 'province', department: 'social_work' },
      inferred('A provincial award is decided at the province.'),
    ),
    'commendation.decision.national': levelAbove(
      { level: 'province', department: 'social_work' },
      analogue(
        SRC.nationalCommendation,
        'A national award is decided by the national body; the province, which recommended, records its decision.',
      ),
    ),
  },
  commendation: { minLatestAssessment: 'competent' },
  provenance: {
    'commendation.minLatestAssessment': inferred('The previous year assessed 合格 or better.'),
  },
};
