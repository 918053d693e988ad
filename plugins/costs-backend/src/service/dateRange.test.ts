import { InputError } from '@backstage/errors';
import { eachDay, MAX_RANGE_DAYS, parseDateRange } from './dateRange';

// 23:30 UTC: still the 22nd in UTC, whatever the machine's time zone
const NOW = new Date('2026-11-22T23:30:00Z');

describe('parseDateRange', () => {
  it('defaults to the last 30 days up to today, UTC', () => {
    expect(parseDateRange({}, NOW)).toEqual({
      from: '2026-10-24',
      to: '2026-11-22',
    });
    expect(eachDay(parseDateRange({}, NOW))).toHaveLength(30);
  });

  it('takes either end on its own', () => {
    expect(parseDateRange({ to: '2026-03-01' }, NOW)).toEqual({
      from: '2026-01-31',
      to: '2026-03-01',
    });
    expect(parseDateRange({ from: '2026-11-20' }, NOW)).toEqual({
      from: '2026-11-20',
      to: '2026-11-22',
    });
  });

  it.each([
    [{ from: '2026-02-30' }, "from '2026-02-30' is not a date YYYY-MM-DD"],
    [{ from: '1 Nov 2026' }, "from '1 Nov 2026' is not a date YYYY-MM-DD"],
    [{ to: '2026-11-1' }, "to '2026-11-1' is not a date YYYY-MM-DD"],
    [
      { from: ['2026-11-01', '2026-11-02'] },
      'from must be a single date YYYY-MM-DD',
    ],
    [
      { from: '2026-11-10', to: '2026-11-09' },
      'from (2026-11-10) is after to (2026-11-09)',
    ],
  ])('rejects %j naming the field', (query, message) => {
    expect(() => parseDateRange(query, NOW)).toThrow(new InputError(message));
  });

  it(`allows at most ${MAX_RANGE_DAYS} days`, () => {
    expect(
      eachDay(parseDateRange({ from: '2025-10-19', to: '2026-11-22' }, NOW)),
    ).toHaveLength(400);
    expect(() =>
      parseDateRange({ from: '2025-10-18', to: '2026-11-22' }, NOW),
    ).toThrow(/^from: the range spans 401 days, at most 400/);
  });
});

describe('eachDay', () => {
  it('crosses month and leap-day boundaries', () => {
    expect(eachDay({ from: '2028-02-28', to: '2028-03-01' })).toEqual([
      '2028-02-28',
      '2028-02-29',
      '2028-03-01',
    ]);
  });
});
