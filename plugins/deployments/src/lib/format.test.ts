import { formatDuration } from './format';

describe('formatDuration', () => {
  const start = '2026-01-10T10:00:00.000Z';

  it.each([
    ['2026-01-10T10:00:45.000Z', '45s'],
    ['2026-01-10T10:07:00.000Z', '7m'],
    ['2026-01-10T10:07:30.000Z', '7m 30s'],
    ['2026-01-10T11:05:10.000Z', '1h 5m'],
    ['2026-01-10T12:00:00.000Z', '2h'],
    ['2026-01-10T09:59:00.000Z', '0s'],
  ])('until %s is %s', (finishedAt, expected) => {
    expect(formatDuration(start, finishedAt)).toBe(expected);
  });

  it('shows a dash while the deployment runs', () => {
    expect(formatDuration(start, null)).toBe('—');
  });
});
