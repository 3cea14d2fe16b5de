/**
 * The organisation vocabulary: administrative levels, the departments that take part in cases, and the roles
 * staff hold within an org unit.
 */

export const ORG_LEVELS = ['province', 'city', 'county', 'street', 'community'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

/** Higher levels have lower ranks: province 0 … community 4. */
export function levelRank(level: OrgLevel): number {
  return ORG_LEVELS.indexOf(level);
}

/** Departments (org units of kind "department") that prepare, decide or oversee cases. */
export const DEPARTMENT_TYPES = {
  /** 社区党组织 (community party organisation); prepares and recommends at community level. */
  party_organisation: { zh: '社区党组织', en: 'Community party organisation' },
  /** 居民委员会 (residents' committee). */
  residents_committee: { zh: '居民委员会', en: "Residents' committee" },
  /** 街道党工委 / 乡镇党委 (street party working committee); decides most personnel matters. */
  party_committee: { zh: '街道（乡镇）党（工）委', en: 'Street (township) party committee' },
  /** 街道办事处: the employer of hired community workers. */
  street_office: { zh: '街道办事处', en: 'Street office' },
  /** 党委社会工作部 (social-work department); leads community-worker affairs at county level and above. */
  social_work: { zh: '党委社会工作部', en: 'Party committee social-work department' },
  /** 纪检监察 (discipline inspection and supervision): 街道纪工委 or 县纪委监委. */
  discipline: { zh: '纪检监察机关', en: 'Discipline inspection commission' },
  /** 组织部 / 人社局 (organisation and human-resources departments). */
  organisation_hr: { zh: '组织人事部门', en: 'Organisation and HR department' },
} as const;
export type DepartmentType = keyof typeof DEPARTMENT_TYPES;

/**
 * Roles a user holds within an org unit. Approvers act on stages assigned to their department; clerks
 * submit cases for workers in their subtree; auditors read everything and change nothing; admins maintain
 * records and accounts but never decide cases.
 */
export const ROLES = {
  clerk: { zh: '经办人', en: 'Clerk' },
  approver: { zh: '审批人', en: 'Approver' },
  personnel_officer: { zh: '组织人事干事', en: 'Personnel officer' },
  auditor: { zh: '监督查询', en: 'Oversight (read-only)' },
  admin: { zh: '系统管理员', en: 'Administrator' },
} as const;
export type Role = keyof typeof ROLES;

export function isRole(value: string): value is Role {
  return Object.prototype.hasOwnProperty.call(ROLES, value);
}

/** Where a stage's actors sit: the department of a given type at a given level above the case's unit. */
export interface ActorSpec {
  level: OrgLevel;
  department: DepartmentType;
  role?: Role;
}

/**
 * One line of the approval matrix: who decides a stage (the department of a given type at a given level above
 * the case's community), and who is added when its deadline passes (default: the same department one level up).
 */
export interface Approval extends ActorSpec {
  escalateTo?: ActorSpec;
}

/** True when `path` (materialised org path) lies inside the subtree rooted at `rootPath`. */
export function inSubtree(path: string, rootPath: string): boolean {
  return path.startsWith(rootPath);
}
