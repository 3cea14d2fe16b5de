import { z } from 'zod';
import type { AuthService } from '../../services/auth';
import { operation } from '../operation';
import { AuthConfig, DemoLogin, DemoUserList, errorResponses } from '../schemas';

/** How clients sign in: the public sign-in configuration, and the demo sign-in when it is enabled. */
export function authOperations(auth: AuthService) {
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
        return { body: auth.config() };
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
          schema: DemoUserList,
        },
        ...errorResponses(404),
      },
      async handler() {
        return { body: await auth.demoUsers() };
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
        200: { description: 'a bearer token', schema: DemoLogin },
        ...errorResponses(400, 404, 415),
      },
      async handler({ body }) {
        return { body: await auth.demoLogin(body.userId) };
      },
    }),
  ];
}
