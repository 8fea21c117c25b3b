/** The trace id of each of this browser's recent API requests, newest first, for the ops console. */
export interface RecentRequest {
  id: number;
  at: number;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  traceId: string | null;
}

const LIMIT = 25;
let items: readonly RecentRequest[] = [];
let next = 1;
const listeners = new Set<() => void>();

export const recentRequests = {
  add(entry: Omit<RecentRequest, 'id'>): void {
    items = [{ ...entry, id: next++ }, ...items].slice(0, LIMIT);
    for (const l of listeners) l();
  },
  list: (): readonly RecentRequest[] => items,
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  clear(): void {
    items = [];
    for (const l of listeners) l();
  },
};
