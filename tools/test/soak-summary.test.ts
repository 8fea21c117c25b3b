import { memoryTrends, type Sample } from '../src/soak/summary';

/** Readings once a minute for an hour: `a` settles at 200 MB after ten minutes, `b` keeps growing 1 MB a minute. */
function hour(): Sample[] {
  return Array.from({ length: 61 }, (_, minute) => ({
    minute,
    rssMb: { a: minute < 10 ? 100 + minute * 10 : 200 + (minute % 2), b: 100 + minute },
  }));
}

describe('soak memory trends', () => {
  test('when one process settles and another keeps growing, then the growth over the second half tells them apart', () => {
    const trends = memoryTrends(hour());

    const [a, b, total] = trends;
    expect(trends.map((t) => t.process)).toEqual(['a', 'b', 'total']);
    expect(a).toMatchObject({ firstMb: 100, peakMb: 201, lastMb: 200 });
    expect(Math.abs(a!.secondHalfMbPerHour)).toBeLessThan(2);
    expect(b).toMatchObject({ firstMb: 100, peakMb: 160, lastMb: 160 });
    expect(b!.secondHalfMbPerHour).toBeCloseTo(60, 5);
    expect(total).toMatchObject({ firstMb: 200, lastMb: 360 });
    expect(total!.secondHalfMbPerHour).toBeCloseTo(60 + a!.secondHalfMbPerHour, 5);
  });

  test('when there are no readings or only one, then there is nothing or no slope', () => {
    expect(memoryTrends([])).toEqual([]);
    expect(memoryTrends([{ minute: 0, rssMb: { a: 120 } }])).toEqual([
      { process: 'a', firstMb: 120, peakMb: 120, lastMb: 120, secondHalfMbPerHour: 0 },
      { process: 'total', firstMb: 120, peakMb: 120, lastMb: 120, secondHalfMbPerHour: 0 },
    ]);
  });
});
