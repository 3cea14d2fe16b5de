import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, getToken, setToken, setUnauthenticatedHandler } from './api';
import { clearReferenceCache } from './hooks';
import type { User } from './types';

/** Who is signed in: the bearer token (sessionStorage) and GET /me. */

export interface Session {
  state: 'checking' | 'signed-out' | 'signed-in';
  me: User | null;
  /** Why the last session ended, when it was not the user's choice. */
  notice: 'expired' | null;
  error: unknown;
  signIn: (token: string) => Promise<void>;
  signOut: () => void;
  has: (role: string) => boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<Session['state']>(getToken() ? 'checking' : 'signed-out');
  const [me, setMe] = useState<User | null>(null);
  const [notice, setNotice] = useState<Session['notice']>(null);
  const [error, setError] = useState<unknown>(null);

  const signOut = useCallback(() => {
    setToken(null);
    clearReferenceCache();
    setMe(null);
    setState('signed-out');
  }, []);

  const loadMe = useCallback(async () => {
    try {
      const user = await api<User>('/me');
      setMe(user);
      setError(null);
      setState('signed-in');
    } catch (err) {
      setToken(null);
      setMe(null);
      setState('signed-out');
      if (!(err instanceof ApiError && err.status === 401)) setError(err);
      throw err;
    }
  }, []);

  const signIn = useCallback(
    async (token: string) => {
      setToken(token);
      clearReferenceCache();
      setNotice(null);
      await loadMe();
    },
    [loadMe],
  );

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setNotice('expired');
      signOut();
    });
    if (getToken()) loadMe().catch(() => undefined);
  }, [loadMe, signOut]);

  const value = useMemo<Session>(
    () => ({ state, me, notice, error, signIn, signOut, has: (role) => Boolean(me?.roles.some((r) => r.role === role)) }),
    [state, me, notice, error, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
