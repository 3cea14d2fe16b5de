import { z } from 'zod';
import type { AssessmentResult, Education, PostType } from '../../personnel';
import { inferred, sourced, workingDays, type CaseTypeRules } from '../../rules/provenance';
import { assessmentResult, count, education, positive, postType } from '../../rules/schema-parts';
import { SRC } from '../../rules/sources';

/** 定向招录(聘): targeted recruitment into civil-service or public-institution (事业单位) posts. */
export const RECRUITMENT_TRACKS = ['civil-service', 'public-institution'] as const;
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

export const recruitmentRulesSchema = z.strictObject({ 'civil-service': recruitmentTrack, 'public-institution': recruitmentTrack });

/** Recruitment's values in the Jiangsu rules, with their sources (docs/policy.md). */
export const recruitmentRules: CaseTypeRules<{ recruitment: RecruitmentRules }> = {
  periods: {
    'recruitment.streetCertification': { period: workingDays(5), provenance: inferred('No sourced limit.') },
    'recruitment.eligibilityCheck': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'recruitment.examRecording': { period: workingDays(20), provenance: inferred('No sourced limit.') },
    'recruitment.inspection': { period: workingDays(15), provenance: inferred('No sourced limit.') },
    'recruitment.notice.civilService': {
      period: workingDays(5),
      provenance: sourced(SRC.civilServiceLaw, '拟录用名单公示不少于5个工作日 (《公务员法》 Art. 32).'),
    },
    'recruitment.notice.publicInstitution': {
      period: { days: 7 },
      provenance: sourced(SRC.publicInstitution, '7 days (some places 7 working days).'),
    },
    'recruitment.appointment': { period: workingDays(10), provenance: inferred('No sourced limit.') },
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
  },
  provenance: {
    'recruitment.civil-service.eligiblePostTypes': sourced(SRC.jilin, 'Sitting 书记/副书记/主任/副主任.'),
    'recruitment.civil-service.minYearsInPost': sourced(SRC.jilin, '正职 ≥2 years, 副职 ≥3 years.'),
    'recruitment.civil-service.minAge': sourced(SRC.jilin, 'Age 25–40.'),
    'recruitment.civil-service.maxAge': sourced(SRC.jilin, 'Age 25–40.'),
    'recruitment.civil-service.minEducation': inferred('Jilin 2014 asks 高中+; 大专 follows the Jiangsu entry requirement for new hires.'),
    'recruitment.civil-service.assessment': inferred(
      `Jiangyin's pattern for 事业 posts (${SRC.jiangyin}) applied to the civil-service track.`,
    ),
    'recruitment.civil-service.noActiveDiscipline': inferred('No disciplinary measure in force (political and conduct requirements).'),
    'recruitment.public-institution.eligiblePostTypes': sourced(SRC.jixi, 'Sitting 社区书记/主任/副职.'),
    'recruitment.public-institution.minYearsInPost': sourced(
      SRC.jixi,
      'Continuously in post ≥3 years, 正职 and 副职 time added together; the record holds only postSince for the current post type, so time is counted from postSince.',
    ),
    'recruitment.public-institution.maxAge': sourced(SRC.jixi, '≤45 (relaxed by 1 year for provincial honours, not modelled).'),
    'recruitment.public-institution.minEducation': sourced(SRC.jixi, '专科+.'),
    'recruitment.public-institution.assessment': sourced(SRC.jiangyin, 'Last 3 annual assessments 合格+ with at least one 优秀.'),
    'recruitment.public-institution.noActiveDiscipline': inferred('No disciplinary measure in force (political and conduct requirements).'),
  },
};
