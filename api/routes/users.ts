import { z } from 'zod';
import { ROLES } from '../../domain/org';
import type { UserService } from '../../services/users';
import { operation } from '../operation';
import { User, UserList, errorResponses } from '../schemas';

/** Who the caller is, and the staff directory (for transfer and add-approver pickers). */
export function userOperations(users: UserService) {
  return [
    operation({
      method: 'get',
      path: '/me',
      operationId: 'getMe',
      summary: 'The authenticated user and their roles',
      tags: ['users'],
      responses: { 200: { description: 'the caller', schema: User }, ...errorResponses(401) },
      async handler({ caller }) {
        return { body: users.me(caller) };
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
      responses: { 200: { description: 'matching users', schema: UserList }, ...errorResponses(400, 401) },
      async handler({ query }) {
        return { body: await users.list(query) };
      },
    }),
  ];
}
