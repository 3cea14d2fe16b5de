import { z } from 'zod';
import { ROLES } from '../../domain/org';
import type { PrismaClient } from '../../infra/prisma';
import { operation } from '../operation';
import { orgUnitPathOf } from '../validation';
import { errorResponses } from '../schemas';

const RoleGrant = z.object({ role: z.enum(Object.keys(ROLES) as [keyof typeof ROLES]), orgUnitId: z.string() });
const User = z.object({ id: z.string(), name: z.string(), roles: z.array(RoleGrant) }).meta({ id: 'User' });

/** Who the caller is, and the staff directory (for transfer and add-approver pickers). */
export function userOperations({ prisma }: { prisma: PrismaClient }) {
  return [
    operation({
      method: 'get',
      path: '/me',
      operationId: 'getMe',
      summary: 'The authenticated user and their roles',
      tags: ['users'],
      responses: { 200: { description: 'the caller', schema: User }, ...errorResponses(401) },
      async handler({ caller }) {
        return { body: { id: caller.id, name: caller.name, roles: caller.roles.map((r) => ({ role: r.role, orgUnitId: r.orgUnitId })) } };
      },
    }),
    operation({
      method: 'get',
      path: '/users',
      operationId: 'listUsers',
      summary: 'Active staff, optionally holding a role in an org unit or its departments',
      tags: ['users'],
      query: z.object({
        role: z.enum(Object.keys(ROLES) as [keyof typeof ROLES]).optional(),
        orgUnitId: z.string().optional().describe('holders in this unit or below'),
        q: z.string().trim().max(50).optional().describe('name or id contains'),
      }),
      responses: { 200: { description: 'matching users', schema: z.object({ items: z.array(User) }) }, ...errorResponses(400, 401) },
      async handler({ query }) {
        const path = query.orgUnitId ? await orgUnitPathOf(prisma, query.orgUnitId) : undefined;
        const users = await prisma.user.findMany({
          where: {
            active: true,
            ...(query.q ? { OR: [{ name: { contains: query.q } }, { id: { contains: query.q } }] } : {}),
            ...(query.role || path ? { roles: { some: { ...(query.role ? { role: query.role } : {}), ...(path ? { orgUnit: { path: { startsWith: path } } } : {}) } } } : {}),
          },
          include: { roles: true },
          orderBy: { id: 'asc' },
          take: 500,
        });
        return { body: { items: users.map((u) => ({ id: u.id, name: u.name, roles: u.roles.map((r) => ({ role: r.role as keyof typeof ROLES, orgUnitId: r.orgUnitId })) })) } };
      },
    }),
  ];
}
