import type { RoleGrant } from './access';
import { daysBetween } from './dates';

/**
 * 委托: an approver going on leave names a colleague who acts on their behalf for a span of days. The delegate's
 * action is the delegator's (their stage, their role), and every event records both names. The rules below are
 * this service's own (inferred from how the approval apps people use work, Feishu/DingTalk 审批委托, and from the
 * recusal rules the cases already enforce): no document of the 16 measures regulates delegation.
 */

/** A delegation as kept (never deleted: a revocation is recorded on it). Days are China's calendar days. */
export interface Delegation {
  id: string;
  delegatorId: string;
  delegateId: string;
  /** The first day it holds (YYYY-MM-DD, China Standard Time). */
  from: string;
  /** The last day it holds, inclusive. */
  to: string;
  /** The case types it covers; empty: every type. */
  caseTypes: string[];
  reason: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

/** A rule parameter with where it comes from (README, "Rule parameters"). */
export interface DelegationRule<T> {
  value: T;
  source: 'sourced' | 'analogue' | 'inferred';
  note: string;
}

export const DELEGATION_RULES = {
  /** The longest span one delegation covers: a leave longer than this is a change of post, not a delegation. */
  maxDays: {
    value: 90,
    source: 'inferred',
    note: 'a quarter: longer absences are handled by reassigning the role (the role assignments), not by 委托',
  } satisfies DelegationRule<number>,
  /** A delegation starts today or later: nobody acts for someone on days already past. */
  noBackdating: {
    value: true,
    source: 'inferred',
    note: 'an action is checked on its own day; a past start would change nothing but the record',
  } satisfies DelegationRule<boolean>,
  /**
   * Chains are refused, not resolved: A→B while B→C on the same days would let C act for A, whom A never named.
   * Every action records exactly two people, the one whose duty it is and the one who acted.
   */
  chains: {
    value: 'refused',
    source: 'inferred',
    note: 'the delegate is the one the delegator named; nobody passes on a duty they hold for someone else',
  } satisfies DelegationRule<'refused'>,
} as const;

/** Roles whose holders decide stages: what a delegation hands over. */
const DECIDING_ROLES = new Set(['approver', 'personnel_officer']);

/** The deciding grants of someone's roles. */
export const decidingGrants = (roles: readonly RoleGrant[]) => roles.filter((r) => DECIDING_ROLES.has(r.role));

/**
 * Whether `delegate` may hold the delegator's duty: they hold a deciding role of the same kind (role, level)
 * over the same area or one containing it. Who may hold a role is who holds one like it; a clerk or an auditor
 * never decides a case in anyone's name.
 */
export function canStandIn(delegatorRoles: readonly RoleGrant[], delegateRoles: readonly RoleGrant[]): boolean {
  return decidingGrants(delegatorRoles).some((duty) =>
    decidingGrants(delegateRoles).some((r) => r.role === duty.role && r.orgLevel === duty.orgLevel && duty.orgPath.startsWith(r.orgPath)),
  );
}

/** Whether two spans of days (inclusive) share a day. */
export const overlaps = (a: { from: string; to: string }, b: { from: string; to: string }) => a.from <= b.to && b.from <= a.to;

/** Whether a delegation holds on a day for a case type: not revoked, the day within its span, the type in its scope. */
export function holdsOn(d: Pick<Delegation, 'from' | 'to' | 'caseTypes' | 'revokedAt'>, day: string, caseType?: string): boolean {
  if (d.revokedAt !== null) return false;
  if (day < d.from || day > d.to) return false;
  return caseType === undefined || d.caseTypes.length === 0 || d.caseTypes.includes(caseType);
}

/** Where a delegation stands on a day: in force, not yet started, past its last day, or revoked. */
export type DelegationState = 'in-force' | 'upcoming' | 'ended' | 'revoked';
export const DELEGATION_STATES: readonly DelegationState[] = ['in-force', 'upcoming', 'ended', 'revoked'];

export function delegationState(d: Pick<Delegation, 'from' | 'to' | 'revokedAt'>, day: string): DelegationState {
  if (d.revokedAt !== null) return 'revoked';
  if (day > d.to) return 'ended';
  return day < d.from ? 'upcoming' : 'in-force';
}

/** A new delegation as asked for. */
export interface DelegationRequest {
  delegatorId: string;
  delegateId: string;
  from: string;
  to: string;
  caseTypes: string[];
}

/** What the rules look at besides the request: the people's roles as the directory has them, the delegations in force. */
export interface DelegationContext {
  today: string;
  delegatorRoles: readonly RoleGrant[];
  /** The delegate's account: null when there is no such user, or they are not active. */
  delegate: { roles: readonly RoleGrant[] } | null;
  /** Unrevoked delegations from or to either person. */
  existing: readonly Delegation[];
}

/** Why a delegation is refused: the field it concerns and a sentence naming the problem. */
export interface DelegationProblem {
  field: 'delegateId' | 'from' | 'to' | 'caseTypes';
  status: 400 | 409;
  message: string;
}

/** The reason a delegation cannot be made, or null. Order: the people, the days, then the delegations in force. */
export function refuseDelegation(request: DelegationRequest, context: DelegationContext): DelegationProblem | null {
  const { delegatorId, delegateId, from, to } = request;
  if (delegateId === delegatorId) return { field: 'delegateId', status: 400, message: 'you cannot delegate to yourself' };
  if (decidingGrants(context.delegatorRoles).length === 0)
    return { field: 'delegateId', status: 400, message: 'you hold no approving role to delegate (approver or personnel officer)' };
  if (!context.delegate) return { field: 'delegateId', status: 400, message: `no active user "${delegateId}"` };
  if (!canStandIn(context.delegatorRoles, context.delegate.roles))
    return {
      field: 'delegateId',
      status: 400,
      message: `${delegateId} holds no approving role of the same level over your area, so cannot act in your stead`,
    };
  if (to < from) return { field: 'to', status: 400, message: `the end day ${to} lies before the first day ${from}` };
  if (from < context.today) return { field: 'from', status: 400, message: `the first day ${from} has passed (today is ${context.today})` };
  const days = daysBetween(from, to) + 1;
  if (days > DELEGATION_RULES.maxDays.value)
    return { field: 'to', status: 400, message: `a delegation covers at most ${DELEGATION_RULES.maxDays.value} days (this one ${days})` };
  const span = { from, to };
  const live = context.existing.filter((d) => d.revokedAt === null && overlaps(d, span));
  const own = live.find((d) => d.delegatorId === delegatorId);
  if (own)
    return {
      field: 'from',
      status: 409,
      message: `you already delegated to ${own.delegateId} from ${own.from} to ${own.to}; revoke it first or choose other days`,
    };
  const delegateAway = live.find((d) => d.delegatorId === delegateId);
  if (delegateAway)
    return {
      field: 'delegateId',
      status: 409,
      message: `${delegateId} has delegated their own duties to ${delegateAway.delegateId} from ${delegateAway.from} to ${delegateAway.to}; a delegation is not passed on (no chains)`,
    };
  const holding = live.find((d) => d.delegateId === delegatorId);
  if (holding)
    return {
      field: 'from',
      status: 409,
      message: `you act for ${holding.delegatorId} from ${holding.from} to ${holding.to}; a delegation is not passed on (no chains): ${holding.delegatorId} revokes theirs first`,
    };
  return null;
}

/** Why an action on someone's behalf is refused today, naming the delegation's days; null when it holds. */
export function refuseActingFor(
  delegations: readonly Delegation[],
  delegateId: string,
  delegatorId: string,
  day: string,
  caseType: string,
): string | null {
  const theirs = delegations.filter((d) => d.delegateId === delegateId && d.delegatorId === delegatorId);
  if (theirs.some((d) => holdsOn(d, day, caseType))) return null;
  if (theirs.length === 0) return `${delegatorId} has not delegated to you`;
  const latest = [...theirs].sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0] as Delegation;
  if (latest.revokedAt !== null) return `the delegation from ${delegatorId} (${latest.from} to ${latest.to}) was revoked`;
  const current = theirs.find((d) => d.revokedAt === null && day >= d.from && day <= d.to);
  if (current) return `the delegation from ${delegatorId} (${current.from} to ${current.to}) does not cover cases of type "${caseType}"`;
  return `the delegation from ${delegatorId} holds from ${latest.from} to ${latest.to}, not today (${day})`;
}
