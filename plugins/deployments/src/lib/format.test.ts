import { formatDuration, formatExpiry, formatSeconds } from './format';

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

describe('formatSeconds', () => {
  it.each([
    [0, '0s'],
    [59.6, '1m'],
    [3600, '1h'],
    [90000, '1d 1h'],
    [172800, '2d'],
    [-5, '0s'],
  ])('%s seconds is %s', (seconds, expected) => {
    expect(formatSeconds(seconds)).toBe(expected);
  });
});

describe('formatExpiry', () => {
  const now = Date.parse('2026-01-12T09:00:00.000Z');

  it.each([
    ['2026-01-14T12:00:00.000Z', 'expires in 2d 3h'],
    ['2026-01-12T09:45:00.000Z', 'expires in 45m'],
    ['2026-01-12T09:00:00.000Z', 'expires now'],
    ['2026-01-12T08:00:00.000Z', 'expires now'],
  ])('at %s it %s', (expiresAt, expected) => {
    expect(formatExpiry(expiresAt, now)).toBe(expected);
  });
});
