import { policy, type Caller, type RoleGrant } from '../../domain/access';
import { ORG_LEVELS, type Role } from '../../domain/org';

/**
 * Who may do what (domain/access.ts), rule by rule at its boundaries. The street 宁海路 (nhl) holds the
 * community 江苏路 (jsl); 马台街 (mtj) lies in another street. test/authorization.test.ts walks the same rules
 * through every HTTP route.
 */

const NHL = '/js/nj/gl/nhl/';
const JSL = `${NHL}jsl/`;
const MTJ = '/js/nj/gl/hqm/mtj/';

/** A role in an area unit; its level follows from its path (/js/ a province … /js/nj/gl/nhl/jsl/ a community). */
const grant = (role: Role, orgPath: string): RoleGrant => ({
  role,
  orgUnitId: orgPath.split('/').at(-2) as string,
  orgPath,
  orgLevel: ORG_LEVELS[orgPath.split('/').filter(Boolean).length - 1] as RoleGrant['orgLevel'],
  departmentType: null,
});
const caller = (id: string, ...roles: RoleGrant[]): Caller => ({ id, name: id, roles });

const CALLERS = {
  clerk: caller('clerk-jsl', grant('clerk', JSL)),
  approver: caller('dgw-nhl-1', grant('approver', NHL)),
  officer: caller('hr-nhl', grant('personnel_officer', NHL)),
  auditor: caller('auditor-1', grant('auditor', '/js/nj/gl/')),
  admin: caller('admin-1', grant('admin', NHL)),
  clerkAndApprover: caller('both', grant('clerk', JSL), grant('approver', NHL), grant('approver', NHL)),
};
type Who = keyof typeof CALLERS;

type PathRule = 'canSubmitFor' | 'canReadWorker' | 'canWriteRecords' | 'canRevealNationalId';

describe('rules over an org path: inside the caller subtree, or not', () => {
  test.each<[PathRule, Who, string, boolean]>([
    ['canSubmitFor', 'clerk', JSL, true],
    ['canSubmitFor', 'clerk', MTJ, false],
    ['canSubmitFor', 'approver', JSL, false], // only clerks submit
    ['canReadWorker', 'clerk', JSL, true],
    ['canReadWorker', 'clerk', NHL, false], // above the clerk's community
    ['canReadWorker', 'approver', JSL, true],
    ['canReadWorker', 'approver', MTJ, false],
    ['canReadWorker', 'auditor', MTJ, true], // auditors read every record
    ['canReadWorker', 'admin', JSL, true],
    ['canWriteRecords', 'officer', JSL, true],
    ['canWriteRecords', 'officer', MTJ, false],
    ['canWriteRecords', 'admin', JSL, true],
    ['canWriteRecords', 'admin', MTJ, false],
    ['canWriteRecords', 'clerk', JSL, false],
    ['canWriteRecords', 'auditor', JSL, false],
    ['canRevealNationalId', 'officer', JSL, true], // those who maintain the record
    ['canRevealNationalId', 'approver', JSL, false],
    ['canRevealNationalId', 'auditor', JSL, false],
  ])('%s(%s, %s) is %s', (rule, who, path, expected) => {
    expect(policy[rule](CALLERS[who], path)).toBe(expected);
  });
});

describe('rules over the caller alone', () => {
  test.each<['canAudit' | 'canManageReferenceData' | 'canActOnCases' | 'isCommunityStaff', Who, boolean]>([
    ['canAudit', 'auditor', true],
    ['canAudit', 'admin', false],
    ['canManageReferenceData', 'admin', true],
    ['canManageReferenceData', 'officer', false],
    ['canActOnCases', 'clerk', true],
    ['canActOnCases', 'approver', true],
    ['canActOnCases', 'officer', true],
    ['canActOnCases', 'auditor', false], // auditors read, administrators maintain records: neither acts on cases
    ['canActOnCases', 'admin', false],
    ['isCommunityStaff', 'clerk', true], // a community's staff are community workers: their account needs its record
    ['isCommunityStaff', 'clerkAndApprover', true],
    ['isCommunityStaff', 'approver', false], // street and county staff are not
    ['isCommunityStaff', 'auditor', false],
  ])('%s(%s) is %s', (rule, who, expected) => {
    expect(policy[rule](CALLERS[who])).toBe(expected);
  });
});

describe('the subtrees a caller sees', () => {
  test.each<[Who, string[] | null, string[] | null]>([
    ['auditor', null, null], // every case, every record
    ['clerkAndApprover', [JSL, NHL], [JSL, NHL]], // each subtree once
    ['admin', [], [NHL]], // administrators maintain records, not cases
  ])('%s: cases %j, records %j', (who, cases, records) => {
    expect(policy.caseScopes(CALLERS[who])).toEqual(cases);
    expect(policy.readableScopes(CALLERS[who])).toEqual(records);
  });
});
