import { InputError } from '@backstage/errors';
import { buildEntityCostReport, chooseCurrency } from './buildEntityCostReport';

const REF = 'component:default/orders-service';

describe('buildEntityCostReport', () => {
  it('zero-fills the range and totals it without float noise', () => {
    const report = buildEntityCostReport({
      entityRef: REF,
      range: { from: '2026-11-01', to: '2026-11-04' },
      currency: 'EUR',
      sums: [
        { date: '2026-10-30', currency: 'EUR', amount: 50 },
        { date: '2026-11-01', currency: 'EUR', amount: 0.1 },
        { date: '2026-11-01', currency: 'USD', amount: 999 },
        { date: '2026-11-03', currency: 'EUR', amount: 0.2 },
      ],
      lastIngestedAt: new Date('2026-11-04T06:00:00Z'),
    });
    expect(report).toEqual({
      entityRef: REF,
      currency: 'EUR',
      from: '2026-11-01',
      to: '2026-11-04',
      daily: [
        { date: '2026-11-01', amount: 0.1 },
        { date: '2026-11-02', amount: 0 },
        { date: '2026-11-03', amount: 0.2 },
        { date: '2026-11-04', amount: 0 },
      ],
      total: 0.3,
      monthToDate: 0.3,
      lastIngestedAt: '2026-11-04T06:00:00.000Z',
    });
  });

  it('counts month to date from the first of the month of `to`, even before `from`', () => {
    const report = buildEntityCostReport({
      entityRef: REF,
      range: { from: '2026-11-10', to: '2026-11-11' },
      currency: 'EUR',
      sums: [
        { date: '2026-10-31', currency: 'EUR', amount: 100 },
        { date: '2026-11-01', currency: 'EUR', amount: 7 },
        { date: '2026-11-11', currency: 'EUR', amount: 3 },
      ],
    });
    expect(report.total).toBe(3);
    expect(report.monthToDate).toBe(10);
    expect(report.lastIngestedAt).toBeNull();
  });
});

describe('chooseCurrency', () => {
  it('uses the only currency found, or the fallback without data', () => {
    expect(
      chooseCurrency({
        sums: [{ date: '2026-11-01', currency: 'USD', amount: 1 }],
        fallback: 'EUR',
      }),
    ).toBe('USD');
    expect(chooseCurrency({ sums: [], fallback: 'EUR' })).toBe('EUR');
  });

  it('never mixes currencies: several need an explicit choice', () => {
    const sums = [
      { date: '2026-11-01', currency: 'USD', amount: 1 },
      { date: '2026-11-01', currency: 'EUR', amount: 1 },
    ];
    expect(() => chooseCurrency({ sums, fallback: 'EUR' })).toThrow(
      new InputError(
        'currency: costs are in EUR, USD; pass currency= to choose one',
      ),
    );
    expect(chooseCurrency({ sums, requested: 'USD', fallback: 'EUR' })).toBe(
      'USD',
    );
  });
});
