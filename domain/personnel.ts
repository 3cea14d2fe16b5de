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

/**
 * The families of disciplinary measures (处分) a community worker can be under, each with its own authority:
 * - government: 政务处分 by the supervisory commission, for managers of the self-governing organisation (居民委员会
 *   members and others who manage its affairs, 监察法 第十五条(五)); 政务处分法 第二十二条 allows them only
 *   警告, 记过 and 记大过 (they have no grade to lower and no post to remove in the civil-service sense);
 * - party: 党纪处分 for party members (《中国共产党纪律处分条例》: 警告, 严重警告, 撤销党内职务, 留党察看, 开除党籍);
 * - contract: measures of the employer (the street) under the labour contract and its rules, for hired staff.
 */
export const DISCIPLINE_FAMILIES = ['government', 'party', 'contract'] as const;
export type DisciplineFamily = (typeof DISCIPLINE_FAMILIES)[number];

/** Every kind of measure, lightest first within its family; the family is the prefix. */
export const DISCIPLINE_KINDS = [
  'government_warning',
  'government_demerit',
  'government_major_demerit',
  'party_warning',
  'party_serious_warning',
  'party_post_removal',
  'party_probation',
  'party_expulsion',
  'contract_warning',
  'contract_demerit',
  'contract_grade_lowered',
] as const;
export type DisciplineKind = (typeof DISCIPLINE_KINDS)[number];

export interface DisciplineKindInfo {
  family: DisciplineFamily;
  zh: string;
  en: string;
  /** The decision sets a term of its own (留党察看: one or two years), recorded as the record's termEnd. */
  hasTerm: boolean;
}

export const DISCIPLINE_KIND_INFO: Record<DisciplineKind, DisciplineKindInfo> = {
  government_warning: { family: 'government', zh: '政务警告', en: 'warning (government sanction)', hasTerm: false },
  government_demerit: { family: 'government', zh: '政务记过', en: 'demerit (government sanction)', hasTerm: false },
  government_major_demerit: { family: 'government', zh: '政务记大过', en: 'major demerit (government sanction)', hasTerm: false },
  party_warning: { family: 'party', zh: '党内警告', en: 'warning (party discipline)', hasTerm: false },
  party_serious_warning: { family: 'party', zh: '党内严重警告', en: 'serious warning (party discipline)', hasTerm: false },
  party_post_removal: { family: 'party', zh: '撤销党内职务', en: 'removal from party posts', hasTerm: false },
  party_probation: { family: 'party', zh: '留党察看', en: 'probation within the party', hasTerm: true },
  party_expulsion: { family: 'party', zh: '开除党籍', en: 'expulsion from the party', hasTerm: false },
  contract_warning: { family: 'contract', zh: '警告（劳动合同）', en: 'warning (labour contract)', hasTerm: false },
  contract_demerit: { family: 'contract', zh: '记过（劳动合同）', en: 'demerit (labour contract)', hasTerm: false },
  contract_grade_lowered: { family: 'contract', zh: '降低岗位等级', en: 'post grade lowered (labour contract)', hasTerm: false },
};

/** Posts in the community party organisation (社区党组织): 书记 / 副书记 / 委员. */
export const PARTY_POSTS = ['secretary', 'deputy_secretary', 'member'] as const;
export type PartyPost = (typeof PARTY_POSTS)[number];

/** Posts in the residents' committee (居民委员会): 主任 / 副主任 / 委员. */
export const RESIDENTS_COMMITTEE_POSTS = ['director', 'deputy_director', 'member'] as const;
export type ResidentsCommitteePost = (typeof RESIDENTS_COMMITTEE_POSTS)[number];

/**
 * On what the date a worker became eligible to sit the 社会工作者职业资格考试 rests (the routes to the 助理社会工作师
 * exam), recorded with its evidence; `migrated`: a date recorded before the basis was kept, with no evidence.
 */
export const QUALIFICATION_ELIGIBILITY_BASES = [
  'social_work_bachelor',
  'social_work_college_2y',
  'other_bachelor_2y',
  'other_college_4y',
  'secondary_4y',
  'migrated',
] as const;
export type QualificationEligibilityBasis = (typeof QUALIFICATION_ELIGIBILITY_BASES)[number];

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
  /** When the worker took up the current post type (任现岗位时间; years in post for recruitment). */
  postSince: string;
  /** Elected posts held (两委): in the community party organisation and in the residents' committee. */
  partyPost: PartyPost | null;
  residentsCommitteePost: ResidentsCommitteePost | null;
  /** Consecutive full terms served as secretary of the community party organisation (连续任满的书记任期). */
  secretaryFullTerms: number;
  qualification: {
    level: QualificationLevel;
    obtainedOn: string | null;
    /**
     * When the worker became eligible to sit the 社会工作者职业资格考试 (it starts the certificate deadline), as
     * a recorded fact: the date, what it rests on and the evidence; null while not recorded.
     */
    eligibility: { since: string; basis: QualificationEligibilityBasis; evidence: string } | null;
  };
  status: WorkerStatus;
  assessments: { year: number; result: AssessmentResult }[];
  /** termEnd: the end of the measure's own term (留党察看); null for kinds without one. */
  disciplinary: { kind: DisciplineKind; startDate: string; termEnd: string | null; reason: string }[];
  /** Grade history, oldest first; `reason` distinguishes regular, early and post-change promotions. */
  gradeChanges: { fromGrade: number; toGrade: number; effectiveFrom: string; reason: string }[];
  awards: { title: string; awardedOn: string; level: string }[];
  /** Secondments (借调) on record, oldest first (absent where a record was built without them). */
  secondments?: SecondmentEntry[];
  /**
   * The decisions on the record that an appeal may name: the decided cases about the worker (by case id, `kind`
   * their case type) and the disciplinary measures (by record id, kind `discipline`).
   */
  decisions?: DecisionEntry[];
}

/** One secondment: to whom, from and to (inclusive), and the secondment it extends, if it is an extension. */
export interface SecondmentEntry {
  /** The case that approved it, or the record's id for one recorded directly. */
  caseId: string;
  borrowingBody: string;
  from: string;
  to: string;
  extensionOf: string | null;
}

export interface DecisionEntry {
  id: string;
  kind: string;
  decidedOn: string;
  outcome: string | null;
  /**
   * The end of the period the decision itself set for asking a review (ISO 8601 instant): an annual assessment's
   * review period, from its written notice. Absent: appeal.filingDays from the day of the decision.
   */
  appealUntil?: string;
}
