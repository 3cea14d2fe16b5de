import { z } from 'zod';
import type { PrismaClient } from '../../infra/prisma';
import { operation } from '../operation';
import { HttpProblem, notFound } from '../problem';
import { errorResponses } from '../schemas';

export interface LoginSettings {
  /** Issues demo tokens for seeded users; set only while the demo secret is in use, never with OIDC. */
  demoLogin?: (userId: string, name: string) => Promise<string>;
  /** An OIDC provider for the web UI's authorization-code flow with PKCE. */
  oidc?: { authorizationUrl: string; tokenUrl: string; clientId: string; scope: string };
}

const AuthConfig = z
  .object({
    demoLogin: z.boolean().describe('true: the demo sign-in (choose a seeded user) is available'),
    oidc: z.object({ authorizationUrl: z.string(), tokenUrl: z.string(), clientId: z.string(), scope: z.string() }).nullable(),
  })
  .meta({ id: 'AuthConfig' });

/** How clients sign in: the public sign-in configuration, and the demo sign-in when it is enabled. */

/**
 * Who the demo sign-in offers: active users holding a role. Role-less accounts such as the records check's
 * system account (which applies for the exit cases it proposes) are not people and cannot be signed in as.
 */
const DEMO_USERS = { active: true, roles: { some: {} } } as const;

export function authOperations({ prisma, login }: { prisma: PrismaClient; login: LoginSettings }) {
  return [
    operation({
      method: 'get',
      path: '/auth/config',
      operationId: 'getAuthConfig',
      summary: 'How to sign in: demo login, or the OIDC provider for the authorization-code flow with PKCE',
      tags: ['auth'],
      public: true,
      responses: { 200: { description: 'the sign-in configuration', schema: AuthConfig } },
      async handler() {
        return { body: { demoLogin: Boolean(login.demoLogin), oidc: login.oidc ?? null } };
      },
    }),
    operation({
      method: 'get',
      path: '/auth/demo-users',
      operationId: 'listDemoUsers',
      summary: 'The users one can sign in as with the demo sign-in (only while it is enabled)',
      tags: ['auth'],
      public: true,
      responses: {
        200: {
          description: 'active users with their roles',
          schema: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), roles: z.array(z.object({ role: z.string(), orgUnitId: z.string(), orgUnitName: z.string() })) })) }),
        },
        ...errorResponses(404),
      },
      async handler() {
        if (!login.demoLogin) throw new HttpProblem('not-found', 'demo sign-in is not enabled');
        const users = await prisma.user.findMany({ where: DEMO_USERS, include: { roles: { include: { orgUnit: { select: { name: true } } } } }, orderBy: { id: 'asc' } });
        return { body: { items: users.map((u) => ({ id: u.id, name: u.name, roles: u.roles.map((r) => ({ role: r.role, orgUnitId: r.orgUnitId, orgUnitName: r.orgUnit.name })) })) } };
      },
    }),
    operation({
      method: 'post',
      path: '/auth/demo-login',
      operationId: 'demoLogin',
      summary: 'Demo sign-in as a seeded user (only while the demo secret is in use)',
      tags: ['auth'],
      public: true,
      body: z.object({ userId: z.string().min(1).max(100) }),
      responses: {
        200: { description: 'a bearer token', schema: z.object({ token: z.string(), user: z.object({ id: z.string(), name: z.string() }) }) },
        ...errorResponses(400, 404, 415),
      },
      async handler({ body }) {
        if (!login.demoLogin) throw new HttpProblem('not-found', 'demo sign-in is not enabled');
        const user = await prisma.user.findFirst({ where: { id: body.userId, ...DEMO_USERS }, select: { id: true, name: true } });
        if (!user) throw notFound('user');
        return { body: { token: await login.demoLogin(user.id, user.name), user } };
      },
    }),
  ];
}
