import type { Caller } from '../domain/access';
import type { Role } from '../domain/org';
import type { Store } from '../store';
import { orgUnitSubtree } from './reference';

/** Who the caller is, and the staff directory (for the transfer and add-approver pickers). */
export function createUserService({ store }: { store: Pick<Store, 'users' | 'orgUnits'> }) {
  return {
    me(caller: Caller) {
      return { id: caller.id, name: caller.name, roles: caller.roles.map((r) => ({ role: r.role, orgUnitId: r.orgUnitId })) };
    },

    /** Active staff, optionally holding a role in an org unit or below; at most 500. */
    async list(query: { role?: Role; orgUnitId?: string; q?: string }) {
      const orgPath = query.orgUnitId ? await orgUnitSubtree(store.orgUnits, query.orgUnitId) : undefined;
      return { items: await store.users.list({ role: query.role, orgPath, text: query.q }, 500) };
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
