import { useRef } from 'react';
import type { Problem } from '../api/problem';

/**
 * The Idempotency-Key for one money move. The same key is sent again while the same request is
 * repeated after an answer was lost (no answer, or a 5xx), so a retry never moves money twice; a
 * new request, or any request after a definite answer, gets a new key.
 */
export function useIdempotencyKey() {
  const current = useRef<{ key: string; request: string } | null>(null);
  return {
    keyFor(request: unknown): string {
      const signature = JSON.stringify(request);
      if (!current.current || current.current.request !== signature) current.current = { key: crypto.randomUUID(), request: signature };
      return current.current.key;
    },
    settled(problem: Problem | null): void {
      const lost = problem && (problem.status === 0 || problem.status >= 500);
      if (!lost) current.current = null;
    },
  };
}
