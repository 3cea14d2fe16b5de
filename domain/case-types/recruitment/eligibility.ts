import { z } from 'zod';
import { assessmentLabel, assessmentsByYear, compareAssessment, yearRange } from '../../assessments';
import { ageOn, anniversary, fullYearsSince, yearOf } from '../../dates';
import { compareEducation } from '../../grades';
import { POST_TYPE_LABELS, type PersonnelRecord } from '../../personnel';
import type { RuleSet } from '../../rules/rule-set';
import { RECRUITMENT_TRACKS, type RecruitmentTrack } from './rules';
import {
  EDUCATION_LABELS,
  assertAsOf,
  disciplineEffectReason,
  eligibilityRule,
  reason,
  resultOf,
  statusReason,
} from '../../eligibility/common';
import type { EligibilityReason, EligibilityResult } from '../../eligibility/types';

/** 定向招录(聘): into a civil-service post (公务员) or a public-institution post (事业单位). */
export interface RecruitmentRequest {
  track: RecruitmentTrack;
}

const TRACK_LABELS: Record<RecruitmentTrack, { zh: string; en: string }> = {
  'civil-service': { zh: '定向招录公务员', en: 'targeted civil-service recruitment' },
  'public-institution': { zh: '定向招聘事业单位工作人员', en: 'targeted public-institution recruitment' },
  'jiangsu-secretary': {
    zh: '任满三届社区党组织书记考核招聘事业编制',
    en: 'public-institution post for community party secretaries after three full terms',
  },
};

export function evaluateRecruitment(worker: PersonnelRecord, request: RecruitmentRequest, rules: RuleSet, asOf: string): EligibilityResult {
  assertAsOf(asOf);
  const track = rules.recruitment[request.track];
  const trackLabel = TRACK_LABELS[request.track];
  const post = POST_TYPE_LABELS[worker.postType];
  const reasons: EligibilityReason[] = [statusReason('recruitment.status', worker)];

  const postAllowed = track.eligiblePostTypes.includes(worker.postType);
  const allowed = track.eligiblePostTypes.map((t) => POST_TYPE_LABELS[t]);
  reasons.push(
    reason(
      'recruitment.post-type',
      postAllowed,
      `现任${post.zh}；${trackLabel.zh}面向${allowed.map((l) => l.zh).join('、')}`,
      `Currently ${post.en.toLowerCase()}; ${trackLabel.en} is open to ${allowed.map((l) => l.en.toLowerCase()).join(', ')}`,
      { postType: worker.postType, eligiblePostTypes: [...track.eligiblePostTypes], track: request.track },
    ),
  );

  if (track.minSecretaryFullTerms !== undefined) {
    const needed = track.minSecretaryFullTerms;
    const secretary = worker.partyPost === 'secretary';
    const passed = secretary && worker.secretaryFullTerms >= needed;
    reasons.push(
      reason(
        'recruitment.secretary-terms',
        passed,
        secretary
          ? `任社区党组织书记，连续任满${worker.secretaryFullTerms}个任期，要求${needed}个`
          : `不是社区党组织书记；${trackLabel.zh}面向连续任满${needed}个任期的书记`,
        secretary
          ? `Community party secretary with ${worker.secretaryFullTerms} consecutive full term(s); ${needed} required`
          : `Not the community party secretary; ${trackLabel.en} is open to secretaries with ${needed} consecutive full terms`,
        { partyPost: worker.partyPost, secretaryFullTerms: worker.secretaryFullTerms, required: needed },
      ),
    );
  }

  const requiredYears = track.minYearsInPost[worker.postType] ?? 0;
  const yearsInPost = fullYearsSince(worker.postSince, asOf);
  const yearsPassed = yearsInPost >= requiredYears;
  reasons.push(
    reason(
      'recruitment.years-in-post',
      yearsPassed,
      `自${worker.postSince}起任${post.zh}满${yearsInPost}年，需满${requiredYears}年${yearsPassed ? '' : `（${anniversary(worker.postSince, requiredYears)}方满）`}`,
      `${yearsInPost} full year(s) as ${post.en.toLowerCase()} since ${worker.postSince}, ${requiredYears} required${yearsPassed ? '' : ` (reached on ${anniversary(worker.postSince, requiredYears)})`}`,
      { postSince: worker.postSince, asOf, yearsInPost, required: requiredYears },
    ),
  );

  const age = ageOn(worker.birthDate, asOf);
  const tooYoung = track.minAge !== undefined && age < track.minAge;
  const tooOld = track.maxAge !== undefined && age > track.maxAge;
  const range = {
    zh:
      track.minAge !== undefined && track.maxAge !== undefined
        ? `${track.minAge}–${track.maxAge}周岁`
        : track.maxAge !== undefined
          ? `${track.maxAge}周岁以下`
          : track.minAge !== undefined
            ? `${track.minAge}周岁以上`
            : '不限',
    en:
      track.minAge !== undefined && track.maxAge !== undefined
        ? `${track.minAge}–${track.maxAge}`
        : track.maxAge !== undefined
          ? `at most ${track.maxAge}`
          : track.minAge !== undefined
            ? `at least ${track.minAge}`
            : 'any',
  };
  reasons.push(
    reason(
      'recruitment.age',
      !tooYoung && !tooOld,
      // The age alone, never the birth date: with the region code and the last four characters a masked ID
      // number shows, the birth date would rebuild the whole number (GB/T 35273 minimisation).
      `截至${asOf}已满${age}周岁，要求${range.zh}`,
      `Aged ${age} on ${asOf}; required age ${range.en}`,
      { asOf, age, minAge: track.minAge ?? null, maxAge: track.maxAge ?? null },
    ),
  );

  const educationPassed = compareEducation(worker.education, track.minEducation) >= 0;
  reasons.push(
    reason(
      'recruitment.education',
      educationPassed,
      `学历${EDUCATION_LABELS[worker.education].zh}，要求${EDUCATION_LABELS[track.minEducation].zh}及以上`,
      `Education: ${EDUCATION_LABELS[worker.education].en}; ${EDUCATION_LABELS[track.minEducation].en} or higher required`,
      { education: worker.education, minEducation: track.minEducation },
    ),
  );

  reasons.push(...assessmentReasons(worker, rules, request.track, asOf));

  if (track.noActiveDiscipline) {
    reasons.push(disciplineEffectReason('recruitment.discipline', worker, asOf, rules, 'promotion'));
  } else {
    reasons.push(
      reason('recruitment.discipline', true, '本规则不审查处分', 'These rules do not check disciplinary measures', {
        asOf,
        purpose: 'promotion',
        inEffect: [],
      }),
    );
  }
  return resultOf(reasons);
}

/**
 * The assessment pattern over the last N years before asOf's year: every year recorded and at least the
 * minimum result, and at least K 优秀 among them. A missing year fails (it may be pending, but it cannot be
 * taken as passed).
 */
function assessmentReasons(worker: PersonnelRecord, rules: RuleSet, trackId: RecruitmentTrack, asOf: string): EligibilityReason[] {
  const { lastYears, minResult, atLeastExcellent } = rules.recruitment[trackId].assessment;
  const byYear = assessmentsByYear(worker);
  const years = yearRange(yearOf(asOf) - lastYears, yearOf(asOf) - 1);
  const results = years.map((y) => byYear.get(y) ?? null);
  const missing = years.filter((_, i) => results[i] === null);
  const below = years.filter((_, i) => {
    const r = results[i];
    return r !== null && r !== undefined && compareAssessment(r, minResult) < 0;
  });
  const excellent = results.filter((r) => r === 'excellent').length;
  const span = `${years[0]}–${years[years.length - 1]}`;
  const min = assessmentLabel(minResult);
  const problems = {
    zh: [missing.length ? `缺少${missing.join('、')}年度考核结果` : '', below.length ? `${below.join('、')}年度低于${min.zh}` : '']
      .filter(Boolean)
      .join('；'),
    en: [
      missing.length ? `no assessment recorded for ${missing.join(', ')}` : '',
      below.length ? `below ${min.en.toLowerCase()} in ${below.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  };
  return [
    reason(
      'recruitment.assessments',
      missing.length === 0 && below.length === 0,
      problems.zh ? `${span}年度考核：${problems.zh}` : `${span}年度考核均为${min.zh}以上`,
      problems.en ? `Annual assessments ${span}: ${problems.en}` : `Every annual assessment ${span} is ${min.en.toLowerCase()} or better`,
      { years, results, missingYears: missing, belowMinimumYears: below, minResult },
    ),
    reason(
      'recruitment.assessments.excellent',
      excellent >= atLeastExcellent,
      `${span}年度考核优秀${excellent}次，要求至少${atLeastExcellent}次`,
      `${excellent} excellent result(s) in ${span}, at least ${atLeastExcellent} required`,
      { years, excellentCount: excellent, required: atLeastExcellent },
    ),
  ];
}

export const recruitmentEligibility = eligibilityRule(z.object({ track: z.enum(RECRUITMENT_TRACKS) }), evaluateRecruitment);
