import type { Caller } from '../domain/access';
import type { Store } from '../store';
import { HttpProblem, notFound } from './problem';

/** How clients sign in; the API's bearer authentication verifies tokens (api/auth.ts) and asks here who the subject is. */
export interface LoginSettings {
  /** Issues demo tokens for seeded users; set only while the demo secret is in use, never with OIDC. */
  demoLogin?: (userId: string, name: string) => Promise<string>;
  /** An OIDC provider for the web UI's authorization-code flow with PKCE. */
  oidc?: { authorizationUrl: string; tokenUrl: string; clientId: string; scope: string };
}

export function createAuthService({ store, login }: { store: Pick<Store, 'users'>; login: LoginSettings }) {
  const demoOnly = () => {
    if (!login.demoLogin) throw new HttpProblem('not-found', 'demo sign-in is not enabled');
    return login.demoLogin;
  };

  return {
    /**
     * The caller a verified token names (an active account with its roles), or null: this service's tokens by
     * user id, the OIDC provider's by the account's externalSub only.
     */
    callerFor: (token: { sub: string; issuedBy: 'service' | 'oidc' }): Promise<Caller | null> =>
      store.users.caller(token.issuedBy === 'oidc' ? { externalSub: token.sub } : { id: token.sub }),

    config: () => ({ demoLogin: Boolean(login.demoLogin), oidc: login.oidc ?? null }),

    async demoUsers() {
      demoOnly();
      return { items: await store.users.demoUsers() };
    },

    async demoLogin(userId: string) {
      const issue = demoOnly();
      const user = await store.users.demoUser(userId);
      if (!user) throw notFound('user');
      return { token: await issue(user.id, user.name), user };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
