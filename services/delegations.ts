import { z } from 'zod';
import type { Caller } from '../domain/access';
import { localDate } from '../domain/calendar';
import { caseTypeOf } from '../domain/case-types';
import { calendarDate } from '../domain/dates';
import { delegationState, refuseActingFor, refuseDelegation, type Delegation } from '../domain/delegation';
import { safeText } from '../domain/input';
import type { Store } from '../store';
import { forbidden, HttpProblem, invalid, notFound } from './problem';

/** 委托: the caller's delegations while on leave (domain/delegation.ts), and the check an action on someone's behalf passes. */

export const delegationBody = z.object({
  delegateId: safeText().trim().min(1, 'name the colleague who acts for you').max(100),
  from: calendarDate.describe('the first day it holds (China time)'),
  to: calendarDate.describe('the last day it holds, inclusive'),
  caseTypes: z.array(safeText().min(1).max(60)).max(20).default([]).describe('the case types it covers; none: every type'),
  reason: safeText().trim().min(1, 'a delegation needs its reason (e.g. 年休假)').max(500),
});

export function createDelegationService({
  store,
  today = () => localDate(new Date()),
}: {
  store: Pick<Store, 'delegations' | 'users'>;
  today?: () => string;
}) {
  /** A delegation as answered: with where it stands on the service's day (the web does not trust its own clock). */
  const withState = <D extends Delegation>(d: D) => ({ ...d, state: delegationState(d, today()) });
  return {
    async list(caller: Caller) {
      return { items: (await store.delegations.involving(caller.id)).map(withState) };
    },

    async create(caller: Caller, body: z.output<typeof delegationBody>) {
      const unknownType = body.caseTypes.find((t) => !caseTypeOf(t));
      if (unknownType !== undefined)
        throw invalid(`caseTypes: unknown case type "${unknownType}"`, [{ field: 'caseTypes', message: 'unknown case type' }]);
      const day = today();
      const delegate = await store.users.caller({ id: body.delegateId });
      const result = await store.delegations.create(
        { delegatorId: caller.id, ...body, caseTypes: [...new Set(body.caseTypes)].sort(), createdBy: caller.id },
        day,
        (existing) =>
          refuseDelegation(
            { delegatorId: caller.id, delegateId: body.delegateId, from: body.from, to: body.to, caseTypes: body.caseTypes },
            { today: day, delegatorRoles: caller.roles, delegate, existing },
          ),
      );
      if ('problem' in result) {
        const { field, status, message } = result.problem;
        if (status === 409) throw new HttpProblem('conflict', message, { errors: [{ field, message }] });
        throw invalid(message, [{ field, message }]);
      }
      return withState(result.delegation);
    },

    /** Revokes one of the caller's own delegations (the delegator's; the delegate may also give it back). */
    async revoke(caller: Caller, id: string) {
      const found = await store.delegations.find(id);
      if (!found || (found.delegatorId !== caller.id && found.delegateId !== caller.id)) throw notFound(`delegation "${id}"`);
      return withState((await store.delegations.revoke(id, caller.id)) ?? found);
    },

    /**
     * The delegator an action on their behalf is taken for, once the delegation holds today (server time, China's
     * day) for the case's type; refused (403) naming the delegation's days otherwise.
     */
    async actingFor(caller: Caller, delegatorId: string, caseType: string): Promise<Caller> {
      const day = today();
      const problem = refuseActingFor(await store.delegations.between(delegatorId, caller.id), caller.id, delegatorId, day, caseType);
      if (problem) throw forbidden(`you cannot act on behalf of ${delegatorId}: ${problem}`);
      const delegator = await store.users.caller({ id: delegatorId });
      if (!delegator) throw forbidden(`you cannot act on behalf of ${delegatorId}: no active user "${delegatorId}"`);
      return delegator;
    },

    /** Who the caller acts for today, with the types each covers (the inbox shows their 待办). */
    async heldToday(caller: Caller) {
      return store.delegations.heldOn(caller.id, today());
    },
  };
}

export type DelegationService = ReturnType<typeof createDelegationService>;
