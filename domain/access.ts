import type { DepartmentType, OrgLevel, Role } from './org';

/**
 * Who may do what, in one place: pure rules over the caller's roles and the org paths they cover, used by the
 * services (and the store's visibility filters) before anything is read, written or sent to a workflow. Per-case
 * rules (whose turn it is, separation of duties, recusal) are the engine's.
 */

/** A role the calling user holds, with the org unit it applies to. */
export interface RoleGrant {
  role: Role;
  orgUnitId: string;
  /**
   * The subtree the role covers: the unit's own path, or for a department (街道党工委, 社会工作部, ...) the
   * path of the area it belongs to, so a street committee member covers the whole street.
   */
  orgPath: string;
  orgLevel: OrgLevel;
  /** For a role in a department: which approving body it is (a stage names its actors by it); null in an area. */
  departmentType: DepartmentType | null;
}

/** The authenticated caller. Every change is attributed to `id`, never to anything in a request body. */
export interface Caller {
  id: string;
  name: string;
  roles: RoleGrant[];
}

function holds(caller: Caller, role: Role, insidePath?: string): boolean {
  return caller.roles.some((r) => r.role === role && (insidePath === undefined || insidePath.startsWith(r.orgPath)));
}

export const policy = {
  /** Clerks submit cases for workers whose community lies in their subtree. */
  canSubmitFor(caller: Caller, subjectOrgPath: string): boolean {
    return holds(caller, 'clerk', subjectOrgPath);
  },

  /**
   * The subtrees whose cases the caller sees (null: every case, for auditors). Beyond these, everyone sees
   * the cases they submitted, are asked to act on, acted on, or were sent a copy of (抄送: an observer reads the case
   * and its documents, with the national ID masked as for everyone, and may not act on it: the engine lets only
   * the case's participants act). Administrators maintain records, not cases.
   */
  caseScopes(caller: Caller): string[] | null {
    if (holds(caller, 'auditor')) return null;
    return [...new Set(caller.roles.filter((r) => r.role !== 'admin').map((r) => r.orgPath))];
  },

  /** The full audit trail (every event, every chain) is for auditors. */
  canAudit(caller: Caller): boolean {
    return holds(caller, 'auditor');
  },

  /** Personnel records: auditors read all; staff read the workers in their subtree. */
  canReadWorker(caller: Caller, workerOrgPath: string): boolean {
    return holds(caller, 'auditor') || caller.roles.some((r) => workerOrgPath.startsWith(r.orgPath));
  },

  /** Administrators and personnel officers maintain the records of their subtree. */
  canWriteRecords(caller: Caller, workerOrgPath: string): boolean {
    return holds(caller, 'admin', workerOrgPath) || holds(caller, 'personnel_officer', workerOrgPath);
  },

  /**
   * Who may reveal a full national ID number, one record at a time and with a reason that is recorded: those who
   * maintain the record. Everywhere else, for everyone, the number is masked and the birth date it holds is not
   * shown (GB/T 35273 minimisation).
   */
  canRevealNationalId(caller: Caller, workerOrgPath: string): boolean {
    return this.canWriteRecords(caller, workerOrgPath);
  },

  /** The subtrees whose records the caller may read (null: everything). */
  readableScopes(caller: Caller): string[] | null {
    return holds(caller, 'auditor') ? null : [...new Set(caller.roles.map((r) => r.orgPath))];
  },

  /**
   * The decrypted payloads of Temporal's histories (the codec endpoint behind the Temporal Web UI) hold whole
   * cases of every scope: auditors read everything anyway, administrators run the service.
   */
  canReadPayloads(caller: Caller): boolean {
    return holds(caller, 'auditor') || holds(caller, 'admin');
  },

  /** Users' email addresses, webhook targets and the delivery log of notifications are for administrators. */
  canManageNotifications(caller: Caller): boolean {
    return holds(caller, 'admin');
  },

  /** Reference data (the working-day calendar) is maintained by administrators. */
  canManageReferenceData(caller: Caller): boolean {
    return holds(caller, 'admin');
  },

  /**
   * Staff of a community (its clerks, the members of its party organisation and residents' committee) are
   * community workers themselves (社区工作者), with a personnel record of their own: their account must be
   * linked to it, or recusal from their own cases (回避) cannot be enforced. Street and county staff are not.
   */
  isCommunityStaff(caller: Caller): boolean {
    return caller.roles.some((r) => r.orgLevel === 'community');
  },

  /** Auditors and administrators never act on cases (they read, or maintain records). */
  canActOnCases(caller: Caller): boolean {
    return caller.roles.some((r) => r.role === 'clerk' || r.role === 'approver' || r.role === 'personnel_officer');
  },
};
