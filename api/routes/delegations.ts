import { z } from 'zod';
import { delegationBody, type DelegationService } from '../../services/delegations';
import { operation } from '../operation';
import { Delegation, DelegationList, errorResponses } from '../schemas';

/** 委托: the caller's delegations while on leave: those they gave and those they hold. */
export function delegationOperations(delegations: DelegationService) {
  return [
    operation({
      method: 'get',
      path: '/me/delegations',
      operationId: 'listMyDelegations',
      summary: 'The delegations (委托) I gave and those I hold, newest first, revoked ones too',
      tags: ['users'],
      responses: { 200: { description: 'the delegations', schema: DelegationList }, ...errorResponses(401) },
      async handler({ caller }) {
        return { body: await delegations.list(caller) };
      },
    }),
    operation({
      method: 'post',
      path: '/me/delegations',
      operationId: 'createMyDelegation',
      summary: 'Delegate my approvals to a colleague for some days (委托), e.g. while on leave',
      description:
        'Refused (400) when delegating to oneself, to someone who is not an active user holding an approving role of the same level over my area, or with the end before the start; (409) when it overlaps another of mine, or would make a chain (the delegate delegated their own duties on those days, or I act for someone then).',
      tags: ['users'],
      body: delegationBody,
      responses: {
        201: { description: 'the delegation', schema: Delegation },
        ...errorResponses(400, 401, 409, 415),
      },
      async handler({ caller, body }) {
        return { status: 201, body: await delegations.create(caller, body) };
      },
    }),
    operation({
      method: 'delete',
      path: '/me/delegations/:id',
      operationId: 'revokeMyDelegation',
      summary: 'Revoke a delegation I gave or hold (the record stays, marked revoked)',
      tags: ['users'],
      params: z.object({ id: z.string().min(1).max(100) }),
      responses: { 200: { description: 'the delegation, revoked', schema: Delegation }, ...errorResponses(401, 404) },
      async handler({ caller, params }) {
        return { body: await delegations.revoke(caller, params.id) };
      },
    }),
  ];
}
