import { burstHook, burstTurns } from '@casino/shared/scenarios/error-burst';
import { Scenarios } from '@casino/shared/scenarios';

const on = { 'error-burst': { enabled: true, params: {} } };
const take = (turn: () => boolean, times: number) => Array.from({ length: times }, () => turn());

describe('error-burst turns', () => {
  test('when the scenario is off, then it is never a turn', () => {
    expect(take(burstTurns(new Scenarios()), 10)).not.toContain(true);
  });

  test('when it is on, then the first request is a turn, and every fifth after it', () => {
    const turns = take(burstTurns(new Scenarios(on)), 11);

    expect(turns.flatMap((t, i) => (t ? [i] : []))).toEqual([0, 5, 10]);
  });

  test('when it is switched off and on again, then the count starts over', () => {
    const scenarios = new Scenarios(on);
    const turn = burstTurns(scenarios);
    take(turn, 3);

    scenarios.replace({});
    expect(turn()).toBe(false);
    scenarios.replace(on);
    expect(turn()).toBe(true);
  });
});

describe('error-burst as a hook', () => {
  test('when it is on, then what the hook is given fires on the turns only', () => {
    const hook = burstHook(new Scenarios(on));
    const fired: number[] = [];
    for (let i = 0; i < 11; i++) hook(() => fired.push(i));

    expect(fired).toEqual([0, 5, 10]);
  });

  test('when it is off, then nothing fires', () => {
    const hook = burstHook(new Scenarios());
    let fired = 0;
    for (let i = 0; i < 6; i++) hook(() => fired++);

    expect(fired).toBe(0);
  });
});
