import type { DepartmentType, OrgLevel, Role } from '../domain/org';
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

export interface SeedWorker {
  id: string;
  name: string;
  orgUnitId: string;
  userId?: string;
  grade: number;
  gradeSince: string;
}

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
  { id: 'nhl', name: '宁海路街道', communities: [{ id: 'jsl', name: '江苏路社区' }, { id: 'jyj', name: '金银街社区' }] },
  { id: 'hnl', name: '湖南路街道', communities: [{ id: 'mtj', name: '马台街社区' }, { id: 'gyl', name: '高云岭社区' }] },
];

export const SEED_ORG_UNITS: SeedOrgUnit[] = [
  area('js', '江苏省', 'province'),
  area('nj', '南京市', 'city', 'js'),
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
const GIVEN = ['建国', '秀英', '海燕', '志强', '丽华', '伟', '敏', '静', '磊', '芳', '军', '洋', '艳', '勇', '杰', '娟', '涛', '明', '超', '霞'];
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
  for (const i of [1, 2]) add(`swb-${i}`, [{ role: 'approver', orgUnitId: 'gl-swb' }]);
  for (const i of [1, 2, 3]) add(`jw-${i}`, [{ role: 'approver', orgUnitId: 'gl-jw' }]);
  for (const i of [1, 2]) add(`zzb-${i}`, [{ role: 'approver', orgUnitId: 'gl-zzb' }]);
  add('auditor-1', [{ role: 'auditor', orgUnitId: 'gl' }]);
  add('auditor-2', [{ role: 'auditor', orgUnitId: 'gl' }]);
  add('admin-1', [{ role: 'admin', orgUnitId: 'gl' }]);
  return users;
}

export const SEED_USERS: SeedUser[] = staff();

function workers(): SeedWorker[] {
  const list: SeedWorker[] = [];
  let n = 100;
  for (const street of STREETS) {
    for (const c of street.communities) {
      list.push({ id: `w-${c.id}-01`, name: demoName(n++), orgUnitId: c.id, userId: `sec-${c.id}`, grade: 10, gradeSince: '2022-01-01' });
      list.push({ id: `w-${c.id}-02`, name: demoName(n++), orgUnitId: c.id, userId: `dep-${c.id}`, grade: 7, gradeSince: '2023-01-01' });
      for (let i = 3; i <= 4; i += 1) {
        list.push({ id: `w-${c.id}-${String(i).padStart(2, '0')}`, name: demoName(n++), orgUnitId: c.id, grade: 3 + i, gradeSince: '2022-01-01' });
      }
    }
  }
  return list;
}

export const SEED_WORKERS: SeedWorker[] = workers();

/** Paths are derived from the tree, so each unit's subtree is a prefix query. */
function pathOf(unit: SeedOrgUnit, byId: Map<string, SeedOrgUnit>): string {
  const ids: string[] = [];
  for (let u: SeedOrgUnit | undefined = unit; u; u = u.parentId ? byId.get(u.parentId) : undefined) ids.unshift(u.id);
  return `/${ids.join('/')}/`;
}

export async function seedDemoData(prisma: PrismaClient): Promise<{ orgUnits: number; users: number; workers: number }> {
  const byId = new Map(SEED_ORG_UNITS.map((u) => [u.id, u]));
  await prisma.$transaction(async (tx) => {
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
      const data = { name: w.name, orgUnitId: w.orgUnitId, userId: w.userId ?? null };
      // Grades change through cases; re-seeding must not undo them.
      await tx.communityWorker.upsert({
        where: { id: w.id },
        create: { id: w.id, ...data, grade: w.grade, gradeSince: new Date(`${w.gradeSince}T00:00:00.000Z`) },
        update: data,
      });
    }
  }, { timeout: 120_000 });
  return { orgUnits: SEED_ORG_UNITS.length, users: SEED_USERS.length, workers: SEED_WORKERS.length };
}
