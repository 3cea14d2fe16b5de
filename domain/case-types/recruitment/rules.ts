import { z } from 'zod';
import type { AssessmentResult, Education, PostType } from '../../personnel';
import { analogue, inferred, sourced, workingDays, type CaseTypeRules } from '../../rules/provenance';
import { assessmentResult, count, education, positive, postType } from '../../rules/schema-parts';
import { SRC } from '../../rules/sources';

/**
 * 定向招录(聘): targeted recruitment into civil-service or public-institution (事业单位) posts. jiangsu-secretary is
 * Jiangsu's own track: a community party secretary who has served three consecutive full terms may be recruited
 * into a public-institution (事业编制) post by assessment (考核招聘); the other two take other places' thresholds.
 */
export const RECRUITMENT_TRACKS = ['civil-service', 'public-institution', 'jiangsu-secretary'] as const;
export type RecruitmentTrack = (typeof RECRUITMENT_TRACKS)[number];

export interface RecruitmentTrackRules {
  eligiblePostTypes: PostType[];
  /** Continuous years in the current post type, per post type. */
  minYearsInPost: Partial<Record<PostType, number>>;
  /** Age limits in 周岁, both inclusive; absent means no limit. */
  minAge?: number;
  maxAge?: number;
  minEducation: Education;
  assessment: {
    /** The annual assessments of this many years before the year of the check … */
    lastYears: number;
    /** … must all be recorded and at least this result … */
    minResult: AssessmentResult;
    /** … with at least this many 优秀. */
    atLeastExcellent: number;
  };
  noActiveDiscipline: boolean;
  /** Only the secretary of the community party organisation, with at least this many consecutive full terms. */
  minSecretaryFullTerms?: number;
}

export type RecruitmentRules = Record<RecruitmentTrack, RecruitmentTrackRules>;

const recruitmentTrack = z
  .strictObject({
    eligiblePostTypes: z.array(postType).min(1),
    minYearsInPost: z.partialRecord(postType, count),
    minAge: count.optional(),
    maxAge: count.optional(),
    minEducation: education,
    assessment: z.strictObject({ lastYears: positive, minResult: assessmentResult, atLeastExcellent: count }),
    noActiveDiscipline: z.boolean(),
    minSecretaryFullTerms: positive.optional(),
  })
  .superRefine((track, ctx) => {
    if (track.minAge !== undefined && track.maxAge !== undefined && track.minAge > track.maxAge) {
      ctx.addIssue({ code: 'custom', path: ['minAge'], message: 'minAge must not exceed maxAge' });
    }
    if (track.assessment.atLeastExcellent > track.assessment.lastYears) {
      ctx.addIssue({ code: 'custom', path: ['assessment', 'atLeastExcellent'], message: 'cannot exceed assessment.lastYears' });
    }
    for (const type of track.eligiblePostTypes) {
      if (track.minYearsInPost[type] === undefined) {
        ctx.addIssue({ code: 'custom', path: ['minYearsInPost', type], message: `required for eligible post type "${type}"` });
      }
    }
  });

export const recruitmentRulesSchema = z.strictObject({
  'civil-service': recruitmentTrack,
  'public-institution': recruitmentTrack,
  'jiangsu-secretary': recruitmentTrack,
});

/** Recruitment's values in the Jiangsu rules, with their sources (docs/policy.md). */
export const recruitmentRules: CaseTypeRules<{ recruitment: RecruitmentRules }> = {
  periods: {
    'recruitment.streetCertification': { period: workingDays(5), provenance: inferred('No sourced limit.') },
    'recruitment.eligibilityCheck': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'recruitment.examRecording': { period: workingDays(20), provenance: inferred('No sourced limit.') },
    'recruitment.inspection': { period: workingDays(15), provenance: inferred('No sourced limit.') },
    'recruitment.notice.civilService': {
      period: workingDays(5),
      provenance: sourced(SRC.civilServiceLaw, '拟录用名单公示不少于5个工作日 (《公务员法》 Art. 32), national law.'),
    },
    'recruitment.notice.publicInstitution': {
      period: { days: 7 },
      provenance: analogue(SRC.publicInstitution, '7 days (some places 7 working days).'),
    },
    'recruitment.appointment': { period: workingDays(10), provenance: inferred('No sourced limit.') },
  },
  approvals: {
    'recruitment.street-certification': {
      approval: { level: 'street', department: 'street_office', escalateTo: { level: 'street', department: 'party_committee' } },
      provenance: inferred('The street certifies service years and assessments (it keeps the records).'),
    },
    'recruitment.eligibility-check': {
      approval: { level: 'county', department: 'organisation_hr' },
      provenance: analogue(SRC.civilServiceLaw, '报名与资格审查 by the recruiting authority.'),
    },
    'recruitment.exam-results': {
      approval: { level: 'county', department: 'organisation_hr' },
      provenance: analogue(SRC.civilServiceLaw, 'The recruiting authority records the written exam and interview.'),
    },
    'recruitment.inspection': {
      approval: { level: 'county', department: 'organisation_hr' },
      provenance: analogue(SRC.civilServiceLaw, '考察与体检 by the recruiting authority.'),
    },
    'recruitment.appointment': {
      approval: { level: 'county', department: 'organisation_hr' },
      provenance: inferred('The county organisation department decides the appointment collectively (部务会).'),
    },
  },
  recruitment: {
    'civil-service': {
      eligiblePostTypes: ['head', 'deputy'],
      minYearsInPost: { head: 2, deputy: 3 },
      minAge: 25,
      maxAge: 40,
      minEducation: 'junior_college',
      assessment: { lastYears: 3, minResult: 'competent', atLeastExcellent: 1 },
      noActiveDiscipline: true,
    },
    'public-institution': {
      eligiblePostTypes: ['head', 'deputy'],
      minYearsInPost: { head: 3, deputy: 3 },
      maxAge: 45,
      minEducation: 'junior_college',
      assessment: { lastYears: 3, minResult: 'competent', atLeastExcellent: 1 },
      noActiveDiscipline: true,
    },
    'jiangsu-secretary': {
      eligiblePostTypes: ['head'],
      minYearsInPost: { head: 0 },
      minEducation: 'high_school',
      assessment: { lastYears: 3, minResult: 'competent', atLeastExcellent: 1 },
      noActiveDiscipline: true,
      minSecretaryFullTerms: 3,
    },
  },
  provenance: {
    'recruitment.civil-service.eligiblePostTypes': analogue(SRC.jilin, 'Sitting 书记/副书记/主任/副主任.'),
    'recruitment.civil-service.minYearsInPost': analogue(SRC.jilin, '正职 ≥2 years, 副职 ≥3 years.'),
    'recruitment.civil-service.minAge': analogue(SRC.jilin, 'Age 25–40.'),
    'recruitment.civil-service.maxAge': analogue(SRC.jilin, 'Age 25–40.'),
    'recruitment.civil-service.minEducation': inferred('Jilin 2014 asks 高中+; 大专 follows the Jiangsu entry requirement for new hires.'),
    'recruitment.civil-service.assessment': analogue(
      SRC.jiangyin,
      'Jiangyin’s pattern for 事业 posts, applied to the civil-service track.',
    ),
    'recruitment.civil-service.noActiveDiscipline': inferred('No disciplinary measure in effect (political and conduct requirements).'),
    'recruitment.public-institution.eligiblePostTypes': analogue(SRC.jixi, 'Sitting 社区书记/主任/副职.'),
    'recruitment.public-institution.minYearsInPost': analogue(
      SRC.jixi,
      'Continuously in post ≥3 years, 正职 and 副职 time added together; the record holds only postSince for the current post type, so time is counted from postSince.',
    ),
    'recruitment.public-institution.maxAge': analogue(SRC.jixi, '≤45 (relaxed by 1 year for provincial honours, not modelled).'),
    'recruitment.public-institution.minEducation': analogue(SRC.jixi, '专科+.'),
    'recruitment.public-institution.assessment': analogue(SRC.jiangyin, 'Last 3 annual assessments 合格+ with at least one 优秀.'),
    'recruitment.public-institution.noActiveDiscipline': inferred(
      'No disciplinary measure in effect (political and conduct requirements).',
    ),
    'recruitment.jiangsu-secretary.eligiblePostTypes': sourced(SRC.jiangsu2019, '村(社区)党组织书记 (§7).'),
    'recruitment.jiangsu-secretary.minSecretaryFullTerms': sourced(SRC.jiangsu2019, '连续任满3个任期 (§7).'),
    'recruitment.jiangsu-secretary.minYearsInPost': sourced(
      SRC.jiangsu2019,
      'No separate years-in-post threshold beyond the three terms (§7).',
    ),
    'recruitment.jiangsu-secretary.minEducation': inferred('The source names no education threshold.'),
    'recruitment.jiangsu-secretary.assessment': analogue(
      SRC.jiangyin,
      '「表现优秀」 (§7) read with Jiangyin’s pattern: last 3 assessments 合格+ with at least one 优秀.',
    ),
    'recruitment.jiangsu-secretary.noActiveDiscipline': inferred('No disciplinary measure in effect (political and conduct requirements).'),
  },
};
