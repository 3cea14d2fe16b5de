/**
 * The personnel record of a community worker as the rules see it: plain data, loaded by the API or an
 * activity from PostgreSQL and handed to the pure eligibility, grade and exit functions.
 */

/** Annual assessment grades (年度考核): 优秀 / 合格 / 基本合格 / 不合格. */
export const ASSESSMENT_RESULTS = ['excellent', 'competent', 'basically_competent', 'incompetent'] as const;
export type AssessmentResult = (typeof ASSESSMENT_RESULTS)[number];
export const ASSESSMENT_LABELS: Record<AssessmentResult, { zh: string; en: string }> = {
  excellent: { zh: '优秀', en: 'Excellent' },
  competent: { zh: '合格', en: 'Competent' },
  basically_competent: { zh: '基本合格', en: 'Basically competent' },
  incompetent: { zh: '不合格', en: 'Incompetent' },
};

/** Post types of 三岗十八级: 正职 (head), 副职 (deputy), 一般工作人员 (general staff). */
export const POST_TYPES = ['head', 'deputy', 'general'] as const;
export type PostType = (typeof POST_TYPES)[number];
export const POST_TYPE_LABELS: Record<PostType, { zh: string; en: string }> = {
  head: { zh: '正职', en: 'Head' },
  deputy: { zh: '副职', en: 'Deputy' },
  general: { zh: '一般工作人员', en: 'General staff' },
};

/** elected: a member of the community 两委 (party organisation / residents' committee); contract: hired staff. */
export const EMPLOYMENT_TYPES = ['elected', 'contract'] as const;
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];

/** Highest education: 高中 / 中专 / 大专 / 本科 (学士) / 硕士 / 博士. */
export const EDUCATION_LEVELS = ['high_school', 'secondary_vocational', 'junior_college', 'bachelor', 'master', 'doctorate'] as const;
export type Education = (typeof EDUCATION_LEVELS)[number];

/** Social-work qualification: none / 助理社会工作师 / 社会工作师 / 高级社会工作师. */
export const QUALIFICATION_LEVELS = ['none', 'assistant', 'intermediate', 'senior'] as const;
export type QualificationLevel = (typeof QUALIFICATION_LEVELS)[number];

/** Kinds of disciplinary measures (处分), lightest first. */
export const DISCIPLINE_KINDS = ['warning', 'demerit', 'major_demerit', 'demotion', 'dismissal_probation'] as const;
export type DisciplineKind = (typeof DISCIPLINE_KINDS)[number];

export const WORKER_STATUSES = ['active', 'exited', 'recruited'] as const;
export type WorkerStatus = (typeof WORKER_STATUSES)[number];

export type Gender = 'male' | 'female';

/** Dates are local calendar dates, "YYYY-MM-DD". */
export interface PersonnelRecord {
  id: string;
  name: string;
  gender: Gender;
  birthDate: string;
  education: Education;
  postType: PostType;
  employmentType: EmploymentType;
  /** Current grade in 三岗十八级 and the date it took effect. */
  grade: number;
  gradeSince: string;
  hireDate: string;
  /** When the worker took up the current post type (years in post for recruitment). */
  postSince: string;
  qualification: {
    level: QualificationLevel;
    obtainedOn: string | null;
    /** When the worker became eligible to sit the 社会工作者职业资格考试 (starts the 3-year deadline). */
    eligibleSince: string | null;
  };
  status: WorkerStatus;
  assessments: { year: number; result: AssessmentResult }[];
  disciplinary: { kind: DisciplineKind; startDate: string; endDate: string | null; reason: string }[];
  /** Grade history, oldest first; `reason` distinguishes regular, early and post-change promotions. */
  gradeChanges: { fromGrade: number; toGrade: number; effectiveFrom: string; reason: string }[];
  awards: { title: string; awardedOn: string; level: string }[];
}
