import { randomUUID } from 'node:crypto';
import type { Delegation, DelegationProblem } from '../domain/delegation';
import type { PrismaClient } from '../infra/prisma';
import { dateValue, day } from './db';

/** 委托 as stored (domain/delegation.ts): created after the rules passed over what is in force, revoked, never deleted. */

type Row = {
  id: string;
  delegatorId: string;
  delegateId: string;
  fromDay: Date;
  toDay: Date;
  caseTypes: string[];
  reason: string;
  createdBy: string;
  createdAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
};

const delegationOf = (r: Row): Delegation => ({
  id: r.id,
  delegatorId: r.delegatorId,
  delegateId: r.delegateId,
  from: day(r.fromDay),
  to: day(r.toDay),
  caseTypes: r.caseTypes,
  reason: r.reason,
  createdBy: r.createdBy,
  createdAt: r.createdAt.toISOString(),
  revokedAt: r.revokedAt?.toISOString() ?? null,
  revokedBy: r.revokedBy,
});

/** A delegation with both people's names, as lists show it. */
export type NamedDelegation = Delegation & { delegatorName: string; delegateName: string };

const withNames = { delegator: { select: { name: true } }, delegate: { select: { name: true } } } as const;
const named = (r: Row & { delegator: { name: string }; delegate: { name: string } }): NamedDelegation => ({
  ...delegationOf(r),
  delegatorName: r.delegator.name,
  delegateName: r.delegate.name,
});

export function delegationStore(db: PrismaClient) {
  return {
    /**
     * Creates a delegation unless `refuse` finds a problem with it among the unrevoked delegations from or to
     * either person that end today or later. Both people's rows are locked first, so two requests at once cannot
     * both pass the overlap and chain checks.
     */
    async create(
      input: Omit<Delegation, 'id' | 'createdAt' | 'revokedAt' | 'revokedBy'>,
      today: string,
      refuse: (existing: Delegation[]) => DelegationProblem | null,
    ): Promise<{ delegation: NamedDelegation } | { problem: DelegationProblem }> {
      return db.$transaction(async (tx) => {
        const people = [input.delegatorId, input.delegateId].sort();
        await tx.$queryRaw`SELECT id FROM "User" WHERE id = ANY(${people}::text[]) ORDER BY id FOR UPDATE`;
        const rows = await tx.delegation.findMany({
          where: {
            revokedAt: null,
            toDay: { gte: dateValue(today) },
            OR: [{ delegatorId: { in: people } }, { delegateId: { in: people } }],
          },
        });
        const problem = refuse(rows.map(delegationOf));
        if (problem) return { problem };
        const row = await tx.delegation.create({
          data: {
            id: randomUUID(),
            delegatorId: input.delegatorId,
            delegateId: input.delegateId,
            fromDay: dateValue(input.from),
            toDay: dateValue(input.to),
            caseTypes: input.caseTypes,
            reason: input.reason,
            createdBy: input.createdBy,
          },
          include: withNames,
        });
        return { delegation: named(row) };
      });
    },

    /** Delegations someone gave or holds, newest first (revoked ones too: the record stays). */
    async involving(userId: string, limit = 200): Promise<NamedDelegation[]> {
      const rows = await db.delegation.findMany({
        where: { OR: [{ delegatorId: userId }, { delegateId: userId }] },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit,
        include: withNames,
      });
      return rows.map(named);
    },

    /** Unrevoked delegations to someone that hold on a day (their scopes aside). */
    async heldOn(delegateId: string, today: string): Promise<NamedDelegation[]> {
      const rows = await db.delegation.findMany({
        where: { delegateId, revokedAt: null, fromDay: { lte: dateValue(today) }, toDay: { gte: dateValue(today) } },
        orderBy: { id: 'asc' },
        include: withNames,
      });
      return rows.map(named);
    },

    /** Every delegation from one person to another (revoked ones too), to say why one does not hold. */
    async between(delegatorId: string, delegateId: string): Promise<Delegation[]> {
      return (await db.delegation.findMany({ where: { delegatorId, delegateId }, orderBy: { createdAt: 'asc' } })).map(delegationOf);
    },

    async find(id: string): Promise<NamedDelegation | null> {
      const row = await db.delegation.findUnique({ where: { id }, include: withNames });
      return row ? named(row) : null;
    },

    /** Records the revocation (once: revoking again changes nothing); the delegation after. */
    async revoke(id: string, by: string): Promise<NamedDelegation | null> {
      await db.delegation.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date(), revokedBy: by } });
      return this.find(id);
    },
  };
}
