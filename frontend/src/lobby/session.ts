import { useCallback, useState } from 'react';
import type { Player } from '../api/types';

export interface Session {
  token: string;
  player: Player;
}

const KEY = 'casino.session';

/** The player's token lives for the browser tab's session only (sessionStorage), never longer. */
export function useSession() {
  const [session, setSession] = useState<Session | null>(() => {
    try {
      const raw = sessionStorage.getItem(KEY);
      return raw ? (JSON.parse(raw) as Session) : null;
    } catch {
      return null;
    }
  });
  const save = useCallback((next: Session | null) => {
    if (next) sessionStorage.setItem(KEY, JSON.stringify(next));
    else sessionStorage.removeItem(KEY);
    setSession(next);
  }, []);
  return [session, save] as const;
}
