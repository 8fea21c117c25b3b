import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { WageringBar } from '../src/components/wagering-bar';

afterEach(cleanup);

describe('the wagering bar', () => {
  test('when part of the requirement is wagered, then the bar, its accessible value and the text agree', () => {
    render(<WageringBar wagered={500} required={3_500} />);
    const bar = screen.getByRole('progressbar', { name: 'Wagering progress' });
    expect(bar.getAttribute('aria-valuenow')).toBe('14');
    expect(bar.getAttribute('aria-valuetext')).toBe('14%: €5.00 of €35.00 wagered');
    expect((bar.firstElementChild as HTMLElement).style.width).toBe('14%');
    expect(screen.getByText(/€5.00 of €35.00 wagered \(14%\) · €30.00 to go/)).toBeTruthy();
  });

  test('when the requirement is met or passed, then the bar is full and says so', () => {
    render(<WageringBar wagered={4_000} required={3_500} />);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(screen.getByText(/requirement met/)).toBeTruthy();
  });

  test('when nothing is wagered yet, then the bar is empty', () => {
    render(<WageringBar wagered={0} required={350_000} />);
    expect(screen.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('0');
    expect(screen.getByText(/€3,500.00 to go/)).toBeTruthy();
  });
});
