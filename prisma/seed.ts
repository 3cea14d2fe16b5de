import { makeNationalId } from '../domain/national-id';
import type { DepartmentType, OrgLevel, Role } from '../domain/org';
import type { AssessmentResult, PersonnelRecord } from '../domain/personnel';
import { officialCalendarYear } from '../infra/holiday-dataset';
import type { PrismaClient } from '../infra/prisma';

/**
 * The demo organisation: one district of Nanjing (鼓楼区) with two streets and four communities, the
 * departments that decide cases at each level, staff for every role (at least two per approving role, so
 * four-eyes rules and transfers work) and a set of community workers. Loading it is idempotent.
 */

export interface SeedOrgUnit {
  id: string;
  name: string;
  level: OrgLevel;
  kind: 'area' | 'department';
  departmentType?: DepartmentType;
  parentId?: string;
}

export interface SeedUser {
  id: string;
  name: string;
  roles: { role: Role; orgUnitId: string }[];
}

/** A worker with the history that makes them a useful demo subject (see PROFILES). */
export type SeedWorker = Omit<PersonnelRecord, 'status' | 'gradeChanges'> & {
  orgUnitId: string;
  userId?: string;
  nationalId: string;
  gradeChanges: PersonnelRecord['gradeChanges'];
  /** What this worker demonstrates, for people exploring the demo. */
  profile: string;
};

const area = (id: string, name: string, level: OrgLevel, parentId?: string): SeedOrgUnit => ({ id, name, level, kind: 'area', parentId });
const dept = (id: string, name: string, level: OrgLevel, departmentType: DepartmentType, parentId: string): SeedOrgUnit => ({
  id,
  name,
  level,
  kind: 'department',
  departmentType,
  parentId,
});

const STREETS = [
  {
    id: 'nhl',
    name: '宁海路街道',
    communities: [
      { id: 'jsl', name: '江苏路社区' },
      { id: 'jyj', name: '金银街社区' },
    ],
  },
  {
    id: 'hnl',
    name: '湖南路街道',
    communities: [
      { id: 'mtj', name: '马台街社区' },
      { id: 'gyl', name: '高云岭社区' },
    ],
  },
];

export const SEED_ORG_UNITS: SeedOrgUnit[] = [
  area('js', '江苏省', 'province'),
  // The social-work departments above the county decide (and recommend) awards of their level.
  dept('js-swb', '中共江苏省委社会工作部', 'province', 'social_work', 'js'),
  area('nj', '南京市', 'city', 'js'),
  dept('nj-swb', '中共南京市委社会工作部', 'city', 'social_work', 'nj'),
  area('gl', '鼓楼区', 'county', 'nj'),
  dept('gl-swb', '中共南京市鼓楼区委社会工作部', 'county', 'social_work', 'gl'),
  dept('gl-jw', '鼓楼区纪委监委', 'county', 'discipline', 'gl'),
  dept('gl-zzb', '中共南京市鼓楼区委组织部', 'county', 'organisation_hr', 'gl'),
  ...STREETS.flatMap((street) => [
    area(street.id, street.name, 'street', 'gl'),
    dept(`${street.id}-dgw`, `${street.name}党工委`, 'street', 'party_committee', street.id),
    dept(`${street.id}-bsc`, `${street.name}办事处`, 'street', 'street_office', street.id),
    dept(`${street.id}-jgw`, `${street.name}纪工委`, 'street', 'discipline', street.id),
    ...street.communities.flatMap((c) => [
      area(c.id, c.name, 'community', street.id),
      dept(`${c.id}-dzz`, `${c.name}党委`, 'community', 'party_organisation', c.id),
      dept(`${c.id}-jwh`, `${c.name}居民委员会`, 'community', 'residents_committee', c.id),
    ]),
  ]),
];

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
const GIVEN = [
  '建国',
  '秀英',
  '海燕',
  '志强',
  '丽华',
  '伟',
  '敏',
  '静',
  '磊',
  '芳',
  '军',
  '洋',
  '艳',
  '勇',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '霞',
];
/** Deterministic Chinese names, so seeded users and workers are stable across runs. */
export const demoName = (i: number) => `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7 + 3) % GIVEN.length]}`;

function staff(): SeedUser[] {
  const users: SeedUser[] = [];
  let n = 0;
  const add = (id: string, roles: SeedUser['roles']) => users.push({ id, name: demoName(n++), roles });
  for (const street of STREETS) {
    add(`clerk-${street.id}`, [{ role: 'clerk', orgUnitId: street.id }]);
    add(`hr-${street.id}`, [{ role: 'personnel_officer', orgUnitId: street.id }]);
    for (const i of [1, 2, 3]) add(`dgw-${street.id}-${i}`, [{ role: 'approver', orgUnitId: `${street.id}-dgw` }]);
    for (const i of [1, 2]) add(`bsc-${street.id}-${i}`, [{ role: 'approver', orgUnitId: `${street.id}-bsc` }]);
    for (const i of [1, 2]) add(`jgw-${street.id}-${i}`, [{ role: 'approver', orgUnitId: `${street.id}-jgw` }]);
    for (const c of street.communities) {
      add(`clerk-${c.id}`, [{ role: 'clerk', orgUnitId: c.id }]);
      // The community party secretary and deputy are community workers themselves (recused from their own cases).
      add(`sec-${c.id}`, [{ role: 'approver', orgUnitId: `${c.id}-dzz` }]);
      add(`dep-${c.id}`, [{ role: 'approver', orgUnitId: `${c.id}-dzz` }]);
    }
  }
  for (const i of [1, 2, 3]) add(`swb-${i}`, [{ role: 'approver', orgUnitId: 'gl-swb' }]);
  for (const i of [1, 2, 3]) add(`jw-${i}`, [{ role: 'approver', orgUnitId: 'gl-jw' }]);
  for (const i of [1, 2, 3]) add(`zzb-${i}`, [{ role: 'approver', orgUnitId: 'gl-zzb' }]);
  add('auditor-1', [{ role: 'auditor', orgUnitId: 'gl' }]);
  add('auditor-2', [{ role: 'auditor', orgUnitId: 'gl' }]);
  add('admin-1', [{ role: 'admin', orgUnitId: 'gl' }]);
  for (const i of [1, 2]) add(`swb-nj-${i}`, [{ role: 'approver', orgUnitId: 'nj-swb' }]);
  for (const i of [1, 2]) add(`swb-js-${i}`, [{ role: 'approver', orgUnitId: 'js-swb' }]);
  // Proposes the exit cases the daily records check finds (activities/records-watch.ts); holds no role.
  users.push({ id: 'system-records-watch', name: '档案巡检（系统）', roles: [] });
  return users;
}

export const SEED_USERS: SeedUser[] = staff();

const E: AssessmentResult = 'excellent';
const C: AssessmentResult = 'competent';
const B: AssessmentResult = 'basically_competent';
const I: AssessmentResult = 'incompetent';
const years = (from: number, results: (AssessmentResult | null)[]) =>
  results.flatMap((result, i) => (result ? [{ year: from + i, result }] : []));

/** When a seeded worker became eligible for the social-work exam, with the basis and evidence the record keeps. */
const eligible = (since: string) => ({ since, basis: 'other_bachelor_2y' as const, evidence: '学历证书、社会工作年限证明（演示）' });

/**
 * Ten career profiles, repeated in each of the four communities (40 workers): eligible and ineligible for
 * promotion, early promotion, recruitment, exit triggers, discipline in force, the grade ceiling and the
 * qualification deadline. `k` (0–3) varies birth years so ages differ between communities.
 */
function profiles(community: string, k: number): Omit<SeedWorker, 'id' | 'name' | 'nationalId'>[] {
  const base = { orgUnitId: community, disciplinary: [], awards: [], gradeChanges: [] };
  // The community party secretary of 江苏路社区 has served three full terms: Jiangsu's recruitment track is open to him.
  const secretaryTerms = community === 'jsl' ? 3 : 1;
  const qualified = (obtainedOn: string) => ({ level: 'intermediate' as const, obtainedOn, eligibility: eligible('2012-06-01') });
  const hired = { partyPost: null, residentsCommitteePost: null, secretaryFullTerms: 0 };
  return [
    {
      ...base,
      profile: '社区书记（书记、主任一肩挑）: eligible for regular and early promotion and for targeted recruitment',
      userId: `sec-${community}`,
      gender: 'male',
      birthDate: `${1987 + k}-05-12`,
      education: 'bachelor',
      postType: 'head',
      employmentType: 'elected',
      partyPost: 'secretary',
      residentsCommitteePost: 'director',
      secretaryFullTerms: secretaryTerms,
      grade: 12,
      gradeSince: '2023-01-01',
      hireDate: '2010-03-01',
      postSince: '2019-03-01',
      qualification: qualified('2015-11-20'),
      assessments: years(2020, [E, C, E, C, E, E]),
      gradeChanges: [{ fromGrade: 11, toGrade: 12, effectiveFrom: '2023-01-01', reason: 'regular' }],
      awards: [{ title: '南京市优秀社区工作者', awardedOn: '2024-12-20', level: 'city' }],
    },
    {
      ...base,
      profile: '副书记、居委会副主任: eligible for regular promotion (four years in grade, all 合格)',
      userId: `dep-${community}`,
      gender: 'female',
      birthDate: `${1990 + k}-09-03`,
      education: 'junior_college',
      postType: 'deputy',
      employmentType: 'elected',
      partyPost: 'deputy_secretary',
      residentsCommitteePost: 'deputy_director',
      secretaryFullTerms: 0,
      grade: 8,
      gradeSince: '2022-01-01',
      hireDate: '2014-08-01',
      postSince: '2020-06-01',
      qualification: qualified('2017-11-18'),
      assessments: years(2020, [C, C, C, C, C, C]),
    },
    {
      ...base,
      profile: 'exactly three years in grade on 2026-01-01: eligible for regular promotion',
      gender: 'female',
      birthDate: `${1994 + k}-02-28`,
      education: 'bachelor',
      postType: 'general',
      employmentType: 'contract',
      ...hired,
      grade: 5,
      gradeSince: '2023-01-01',
      hireDate: '2019-07-01',
      postSince: '2019-07-01',
      qualification: qualified('2020-11-21'),
      assessments: years(2020, [C, C, C, C, C, C]),
    },
    {
      ...base,
      profile: 'only two years in grade: not yet eligible for promotion',
      gender: 'male',
      birthDate: `${1996 + k}-11-30`,
      education: 'junior_college',
      postType: 'general',
      employmentType: 'contract',
      ...hired,
      grade: 4,
      gradeSince: '2024-01-01',
      hireDate: '2021-03-15',
      postSince: '2021-03-15',
      qualification: qualified('2023-11-18'),
      assessments: years(2021, [C, C, C, C, C]),
    },
    {
      ...base,
      profile: '连续两年考核不合格: exit trigger',
      gender: 'male',
      birthDate: `${1983 + k}-07-19`,
      education: 'secondary_vocational',
      postType: 'general',
      employmentType: 'contract',
      ...hired,
      grade: 6,
      gradeSince: '2021-01-01',
      hireDate: '2015-05-01',
      postSince: '2015-05-01',
      qualification: qualified('2018-11-17'),
      assessments: years(2020, [C, C, C, B, I, I]),
    },
    {
      ...base,
      profile: '连续三年考核基本合格: exit trigger',
      gender: 'female',
      birthDate: `${1986 + k}-03-08`,
      education: 'junior_college',
      postType: 'general',
      employmentType: 'contract',
      ...hired,
      grade: 5,
      gradeSince: '2021-01-01',
      hireDate: '2016-09-01',
      postSince: '2016-09-01',
      qualification: qualified('2019-11-16'),
      assessments: years(2020, [C, C, C, B, B, B]),
    },
    {
      ...base,
      profile: '记过 in effect until mid-2027: no promotion or commendation',
      gender: 'male',
      birthDate: `${1989 + k}-12-01`,
      education: 'bachelor',
      postType: 'general',
      employmentType: 'contract',
      ...hired,
      grade: 7,
      gradeSince: '2022-01-01',
      hireDate: '2013-04-01',
      postSince: '2013-04-01',
      qualification: qualified('2016-11-19'),
      assessments: years(2020, [C, C, E, C, C, C]),
      // 记过 under the labour contract: 12 months of effect (discipline.effects.contract_demerit).
      disciplinary: [{ kind: 'contract_demerit', startDate: '2026-06-01', termEnd: null, reason: '防汛值守期间擅离岗位' }],
    },
    {
      ...base,
      profile: 'at the top of the general-staff band (grade 12): no further regular promotion',
      gender: 'female',
      birthDate: `${1975 + k}-04-22`,
      education: 'bachelor',
      postType: 'general',
      employmentType: 'contract',
      ...hired,
      grade: 12,
      gradeSince: '2018-01-01',
      hireDate: '2002-02-01',
      postSince: '2002-02-01',
      qualification: qualified('2009-11-21'),
      assessments: years(2020, [C, E, C, C, C, C]),
    },
    {
      ...base,
      profile: 'hired in 2025 under the 16条, no qualification, deadline 2026-12-15: warned before the 3-year deadline passes',
      gender: 'female',
      birthDate: `${1998 + k}-06-30`,
      education: 'bachelor',
      postType: 'general',
      employmentType: 'contract',
      ...hired,
      grade: 3,
      gradeSince: '2025-03-01',
      hireDate: '2025-03-01',
      postSince: '2025-03-01',
      qualification: { level: 'none', obtainedOn: null, eligibility: eligible('2023-12-15') },
      assessments: years(2025, [C]),
    },
    {
      ...base,
      profile: 'hired in January 2025 under the 16条, qualification deadline passed in June 2025, and the 2023 assessment is missing',
      gender: 'male',
      birthDate: `${1995 + k}-01-09`,
      education: 'junior_college',
      postType: 'general',
      employmentType: 'contract',
      ...hired,
      grade: 4,
      gradeSince: '2022-01-01',
      // Rehired on a new contract in January 2025, so the 16条's deadline binds: eligible since 2022, due by 2025-06-01.
      hireDate: '2025-01-15',
      postSince: '2020-03-01',
      qualification: { level: 'none', obtainedOn: null, eligibility: eligible('2022-06-01') },
      assessments: years(2021, [C, C, null, C, C]),
    },
  ];
}

/**
 * The community's clerk (社区工作站经办人), whose staff account files its cases: a community worker too, so the
 * account is linked to this record, which recuses them from their own cases and refuses a case about themselves.
 * (The party secretary and deputy, profiles 1 and 2, are linked the same way.)
 */
function clerkProfile(community: string, k: number): Omit<SeedWorker, 'id' | 'name' | 'nationalId'> {
  return {
    orgUnitId: community,
    profile: '社区经办人: the clerk-<community> account is linked to this record (recused from their own cases)',
    userId: `clerk-${community}`,
    gender: 'female',
    birthDate: `${1992 + k}-10-16`,
    education: 'bachelor',
    postType: 'general',
    employmentType: 'contract',
    grade: 4,
    gradeSince: '2023-01-01',
    hireDate: '2019-07-01',
    postSince: '2019-07-01',
    partyPost: null,
    residentsCommitteePost: null,
    secretaryFullTerms: 0,
    qualification: { level: 'assistant', obtainedOn: '2020-06-20', eligibility: eligible('2019-07-01') },
    assessments: years(2020, [C, C, C, C, C, C]),
    disciplinary: [],
    awards: [],
    gradeChanges: [],
  };
}

function workers(): SeedWorker[] {
  const list: SeedWorker[] = [];
  let n = 100;
  const communities = STREETS.flatMap((s) => s.communities);
  for (const [k, c] of communities.entries()) {
    for (const [i, p] of profiles(c.id, k).entries()) {
      const number = String(i + 1).padStart(2, '0');
      // 320106: 南京市鼓楼区.
      list.push({ ...p, id: `w-${c.id}-${number}`, name: demoName(n), nationalId: makeNationalId('320106', p.birthDate, n, p.gender) });
      n += 1;
    }
  }
  // After the others, so that their ids, names and ID numbers stay what they were.
  for (const [k, c] of communities.entries()) {
    const p = clerkProfile(c.id, k);
    list.push({ ...p, id: `w-${c.id}-11`, name: demoName(n), nationalId: makeNationalId('320106', p.birthDate, n, p.gender) });
    n += 1;
  }
  return list;
}

export const SEED_WORKERS: SeedWorker[] = workers();

/** The official working-day calendar for the demo years, from the holiday dataset. */
/** Secondments (借调) on the demo records: one running from November 2026 to March 2027. */
export const SEED_SECONDMENTS = [
  {
    id: 'seed-secondment-gyl-06',
    workerId: 'w-gyl-06',
    borrowingBody: '中共南京市鼓楼区委社会工作部',
    reason: '基层治理专项工作（演示）',
    fromDate: '2026-11-02',
    toDate: '2027-03-31',
  },
];

export const SEED_CALENDAR_YEARS = [2026, 2027];

/** A local date as Prisma's DATE value. */
const date = (d: string) => new Date(`${d}T00:00:00.000Z`);

/** Paths are derived from the tree, so each unit's subtree is a prefix query. */
function pathOf(unit: SeedOrgUnit, byId: Map<string, SeedOrgUnit>): string {
  const ids: string[] = [];
  for (let u: SeedOrgUnit | undefined = unit; u; u = u.parentId ? byId.get(u.parentId) : undefined) ids.unshift(u.id);
  return `/${ids.join('/')}/`;
}

export async function seedDemoData(prisma: PrismaClient) {
  const byId = new Map(SEED_ORG_UNITS.map((u) => [u.id, u]));
  await prisma.$transaction(
    async (tx) => {
      for (const unit of SEED_ORG_UNITS) {
        const data = {
          name: unit.name,
          level: unit.level,
          kind: unit.kind,
          departmentType: unit.departmentType ?? null,
          parentId: unit.parentId ?? null,
          path: pathOf(unit, byId),
        };
        await tx.orgUnit.upsert({ where: { id: unit.id }, create: { id: unit.id, ...data }, update: data });
      }
      for (const user of SEED_USERS) {
        await tx.user.upsert({ where: { id: user.id }, create: { id: user.id, name: user.name }, update: { name: user.name } });
        for (const r of user.roles) {
          await tx.roleAssignment.upsert({
            where: { userId_role_orgUnitId: { userId: user.id, role: r.role, orgUnitId: r.orgUnitId } },
            create: { userId: user.id, role: r.role, orgUnitId: r.orgUnitId },
            update: {},
          });
        }
      }
      for (const w of SEED_WORKERS) {
        const data = {
          name: w.name,
          gender: w.gender,
          birthDate: date(w.birthDate),
          nationalId: w.nationalId,
          education: w.education,
          postType: w.postType,
          employmentType: w.employmentType,
          orgUnitId: w.orgUnitId,
          userId: w.userId ?? null,
          hireDate: date(w.hireDate),
          postSince: date(w.postSince),
          partyPost: w.partyPost,
          residentsCommitteePost: w.residentsCommitteePost,
          secretaryFullTerms: w.secretaryFullTerms,
          qualificationLevel: w.qualification.level,
          qualificationObtainedOn: w.qualification.obtainedOn ? date(w.qualification.obtainedOn) : null,
          qualificationEligibleSince: w.qualification.eligibility ? date(w.qualification.eligibility.since) : null,
          qualificationEligibilityBasis: w.qualification.eligibility?.basis ?? null,
          qualificationEligibilityEvidence: w.qualification.eligibility?.evidence ?? null,
        };
        const existing = await tx.communityWorker.findUnique({ where: { id: w.id }, select: { id: true } });
        // The seed creates a record once; afterwards cases change grades and statuses, and re-seeding must not undo them.
        if (existing) continue;
        await tx.communityWorker.create({ data: { id: w.id, ...data, grade: w.grade, gradeSince: date(w.gradeSince) } });
        await tx.annualAssessment.createMany({
          data: w.assessments.map((a) => ({ workerId: w.id, year: a.year, result: a.result, recordedBy: 'seed' })),
        });
        await tx.disciplinaryRecord.createMany({
          data: w.disciplinary.map((d) => ({
            workerId: w.id,
            kind: d.kind,
            startDate: date(d.startDate),
            termEnd: d.termEnd ? date(d.termEnd) : null,
            reason: d.reason,
            recordedBy: 'seed',
          })),
        });
        await tx.award.createMany({
          data: w.awards.map((a) => ({ workerId: w.id, title: a.title, level: a.level, awardedOn: date(a.awardedOn) })),
        });
        await tx.gradeChange.createMany({
          data: w.gradeChanges.map((g) => ({
            workerId: w.id,
            fromGrade: g.fromGrade,
            toGrade: g.toGrade,
            effectiveFrom: date(g.effectiveFrom),
            reason: g.reason,
          })),
        });
      }
      // A secondment running over the demo's dates (recorded directly, as one approved before the service was).
      for (const s of SEED_SECONDMENTS) {
        if (await tx.secondment.findUnique({ where: { id: s.id } })) continue;
        await tx.secondment.create({
          data: { ...s, fromDate: date(s.fromDate), toDate: date(s.toDate) },
        });
      }
      for (const year of SEED_CALENDAR_YEARS) {
        if (await tx.calendarYear.findUnique({ where: { year } })) continue;
        const official = officialCalendarYear(year);
        await tx.calendarYear.create({ data: { year, source: official.source, provisional: official.provisional, loadedBy: 'seed' } });
        await tx.calendarDay.createMany({
          data: [
            ...official.holidays.map((d) => ({ date: date(d), year, kind: 'holiday' })),
            ...official.makeUpWorkdays.map((d) => ({ date: date(d), year, kind: 'workday' })),
          ],
        });
      }
    },
    { timeout: 120_000 },
  );
  return { orgUnits: SEED_ORG_UNITS.length, users: SEED_USERS.length, workers: SEED_WORKERS.length, calendarYears: SEED_CALENDAR_YEARS };
}
