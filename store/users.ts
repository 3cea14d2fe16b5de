import type { Caller } from '../domain/access';
import type { DepartmentType, OrgLevel, Role } from '../domain/org';
import type { Db } from './db';

/** Staff accounts and the roles they hold in org units. */

/** A staff member as the directory lists them. */
export interface StaffEntry {
  id: string;
  name: string;
  roles: { role: Role; orgUnitId: string }[];
}

/**
 * Who the demo sign-in offers: active users holding a role. Role-less accounts such as the records check's
 * system account (which applies for the exit cases it proposes) are not people and cannot be signed in as.
 */
const DEMO_USERS = { active: true, roles: { some: {} } } as const;

export function userStore(db: Db) {
  return {
    /**
     * The active account with this id, or with this subject at the identity provider, with its roles and the
     * subtree each covers; null when there is none. Roles come from here, never from the token.
     */
    async caller(by: { id: string } | { externalSub: string }): Promise<Caller | null> {
      const user = await db.user.findFirst({
        where: { ...by, active: true },
        include: {
          roles: {
            include: {
              orgUnit: { select: { path: true, level: true, kind: true, departmentType: true, parent: { select: { path: true } } } },
            },
          },
        },
      });
      if (!user) return null;
      return {
        id: user.id,
        name: user.name,
        roles: user.roles.map((r) => ({
          role: r.role as Role,
          orgUnitId: r.orgUnitId,
          orgPath: r.orgUnit.kind === 'department' && r.orgUnit.parent ? r.orgUnit.parent.path : r.orgUnit.path,
          orgLevel: r.orgUnit.level,
          departmentType: r.orgUnit.kind === 'department' ? (r.orgUnit.departmentType as DepartmentType | null) : null,
        })),
      };
    },

    /** Whether an active account has this id. */
    async isActive(userId: string): Promise<boolean> {
      return (await db.user.findFirst({ where: { id: userId, active: true }, select: { id: true } })) !== null;
    },

    /**
     * The active holders of a role in a department of a type, in an area unit at a level among the given
     * areas (a case's community and the units above it), by id.
     */
    async roleHolders(q: { role: string; departmentType: string; level: OrgLevel; areaIds: string[] }): Promise<string[]> {
      const holders = await db.roleAssignment.findMany({
        where: {
          role: q.role,
          user: { active: true },
          orgUnit: {
            kind: 'department',
            departmentType: q.departmentType,
            parent: { id: { in: q.areaIds }, kind: 'area', level: q.level },
          },
        },
        select: { userId: true },
        orderBy: { userId: 'asc' },
      });
      return [...new Set(holders.map((h) => h.userId))];
    },

    /** Active staff, optionally holding a role (in an org path and below) or matching a text; at most `limit`, by id. */
    async list(filter: { role?: Role; orgPath?: string; text?: string }, limit: number): Promise<StaffEntry[]> {
      const { role, orgPath, text } = filter;
      const users = await db.user.findMany({
        where: {
          active: true,
          ...(text ? { OR: [{ name: { contains: text } }, { id: { contains: text } }] } : {}),
          ...(role || orgPath
            ? { roles: { some: { ...(role ? { role } : {}), ...(orgPath ? { orgUnit: { path: { startsWith: orgPath } } } : {}) } } }
            : {}),
        },
        include: { roles: true },
        orderBy: { id: 'asc' },
        take: limit,
      });
      return users.map((u) => ({ id: u.id, name: u.name, roles: u.roles.map((r) => ({ role: r.role as Role, orgUnitId: r.orgUnitId })) }));
    },

    /** The people the demo sign-in offers, with the names of the units of their roles. */
    async demoUsers(): Promise<{ id: string; name: string; roles: { role: string; orgUnitId: string; orgUnitName: string }[] }[]> {
      const users = await db.user.findMany({
        where: DEMO_USERS,
        include: { roles: { include: { orgUnit: { select: { name: true } } } } },
        orderBy: { id: 'asc' },
      });
      return users.map((u) => ({
        id: u.id,
        name: u.name,
        roles: u.roles.map((r) => ({ role: r.role, orgUnitId: r.orgUnitId, orgUnitName: r.orgUnit.name })),
      }));
    },

    /** One of them, or null. */
    async demoUser(userId: string): Promise<{ id: string; name: string } | null> {
      return db.user.findFirst({ where: { id: userId, ...DEMO_USERS }, select: { id: true, name: true } });
    },
  };
}

export type UserStore = ReturnType<typeof userStore>;
