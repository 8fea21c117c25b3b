import { describe, expect, test } from 'vitest';
import { uptime } from '../src/console/health-grid';

describe("the health grid's uptime", () => {
  test('when a service has just been restarted, then its uptime counts from its start again, in the unit that reads best', () => {
    expect([uptime(undefined), uptime(4), uptime(59), uptime(60), uptime(3_599), uptime(3_600 * 2 + 60 * 5 + 9)]).toEqual([
      '–',
      '4 s',
      '59 s',
      '1 min',
      '59 min',
      '2 h 5 min',
    ]);
  });
});
