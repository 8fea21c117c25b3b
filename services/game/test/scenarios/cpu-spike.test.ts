import { burnCpu } from '../../src/scenarios/cpu-spike';
import { setup } from './spin-app';

describe('cpu-spike in the game', () => {
  test('when cpu-spike is on, then a spin takes at least its ms and draws the same reels as with it off', async () => {
    const off = setup();
    const on = setup({ 'cpu-spike': { enabled: true, params: { ms: 120 } } });

    const t0 = performance.now();
    const spiked = await on.spin();
    const took = performance.now() - t0;
    const plain = await off.spin();

    expect(spiked.status).toBe(201);
    expect(took).toBeGreaterThanOrEqual(120);
    expect(spiked.body.reels).toEqual(plain.body.reels);
  });

  test('when the CPU is burnt for a time, then it is real work that ends at the deadline', () => {
    const t0 = performance.now();
    const primes = burnCpu(40);
    const took = performance.now() - t0;

    // Primes below 30,000.
    expect(primes).toBe(3245);
    expect(took).toBeGreaterThanOrEqual(40);
    expect(took).toBeLessThan(400);
  });
});
