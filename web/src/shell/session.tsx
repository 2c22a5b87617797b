import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setCsrfToken, setUnauthorizedHandler } from '../api/client';
import { auth } from '../api/endpoints';
import type { Me } from '../api/types';

const ANONYMOUS: Me = { kind: 'anonymous', id: null, username: null, roles: [], abilities: [], csrfToken: null };

interface Session {
  me: Me;
  isLoading: boolean;
  isSignedIn: boolean;
  /** Whether the server lists this action among the caller's abilities. */
  can: (ability: string) => boolean;
  signIn: (username: string, password: string) => Promise<Me>;
  signOut: () => Promise<void>;
  refresh: () => Promise<Me>;
}

const SessionContext = createContext<Session | null>(null);

/** Who is signed in (cookie session) and what they may do, from GET /auth/me. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me>(ANONYMOUS);
  const [isLoading, setLoading] = useState(true);

  const refresh = useCallback(async () => {
    try {
      const next = await auth.me();
      setCsrfToken(next.csrfToken);
      setMe(next);
      return next;
    } catch {
      setCsrfToken(null);
      setMe(ANONYMOUS);
      return ANONYMOUS;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
    // A 401 mid-session means it ended: re-read who we are, so pages that need a sign-in redirect.
    setUnauthorizedHandler(() => void refresh());
    return () => setUnauthorizedHandler(null);
  }, [refresh]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const result = await auth.login(username, password);
      setCsrfToken(result.csrfToken);
      return refresh();
    },
    [refresh],
  );

  const signOut = useCallback(async () => {
    try {
      await auth.logout();
    } finally {
      setCsrfToken(null);
      await refresh();
    }
  }, [refresh]);

  const value = useMemo<Session>(
    () => ({ me, isLoading, isSignedIn: me.kind === 'user', can: (a) => me.abilities.includes(a), signIn, signOut, refresh }),
    [me, isLoading, signIn, signOut, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}
