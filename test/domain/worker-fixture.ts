import type { AssessmentResult, PersonnelRecord } from '../../domain/personnel';

/**
 * A community worker's record for the domain tests: grade 3 since 2020, hired 2018, an assistant social worker
 * with the basis recorded, active, with the given yearly results and nothing else on file.
 */
export function aWorker(assessments: Record<number, AssessmentResult> = {}, overrides: Partial<PersonnelRecord> = {}): PersonnelRecord {
  return {
    id: 'w-1',
    name: '测试',
    gender: 'female',
    birthDate: '1988-01-01',
    education: 'junior_college',
    postType: 'general',
    employmentType: 'contract',
    grade: 3,
    gradeSince: '2020-01-01',
    hireDate: '2018-01-01',
    postSince: '2018-01-01',
    partyPost: null,
    residentsCommitteePost: null,
    secretaryFullTerms: 0,
    qualification: {
      level: 'assistant',
      obtainedOn: '2019-06-01',
      eligibility: { since: '2018-01-01', basis: 'other_college_4y', evidence: '证明' },
    },
    status: 'active',
    assessments: Object.entries(assessments).map(([year, result]) => ({ year: Number(year), result })),
    disciplinary: [],
    gradeChanges: [],
    awards: [],
    ...overrides,
  };
}
