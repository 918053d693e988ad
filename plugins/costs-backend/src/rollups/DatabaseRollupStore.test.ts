import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  FLEET_TRACKER,
  GATEWAY,
  GHOST,
  insertKnownCosts,
  ORDERS,
  ORGANISATION,
} from '../__testUtils__/organisation';
import { computeDimensions } from '../dimensions/computeDimensions';
import { DatabaseDimensionsStore } from '../dimensions/DatabaseDimensionsStore';
import { buildRollupResponse } from './buildRollup';
import { DatabaseRollupStore } from './DatabaseRollupStore';
import { parseRollupRequest } from './rollupRequest';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const NOW = new Date('2026-03-20T12:00:00Z');

describe.each(databases.eachSupportedId())(
  'DatabaseRollupStore (%s)',
  databaseId => {
    let knex: Knex;
    let store: DatabaseRollupStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const database = mockServices.database({ knex });
      const dimensions = await DatabaseDimensionsStore.create({ database });
      await dimensions.replaceAll(computeDimensions(ORGANISATION), 'h1');
      store = await DatabaseRollupStore.create({ database });
      await insertKnownCosts(knex);
    });

    async function rollup(query: Record<string, string>) {
      const request = parseRollupRequest(
        { from: '2026-03-01', to: '2026-03-10', currency: 'EUR', ...query },
        NOW,
      );
      return buildRollupResponse({
        request,
        rows: await store.rollup(request),
        defaultCurrency: 'EUR',
      });
    }

    const brief = (
      items: Array<{ key: string; total: number; previousTotal: number }>,
    ) => items.map(i => [i.key, i.total, i.previousTotal]);

    it('rolls up by service, unallocated on its own line', async () => {
      const res = await rollup({ groupBy: 'service' });
      expect(brief(res.items)).toEqual([
        [GATEWAY, 20, 0],
        [ORDERS, 15, 4],
        [FLEET_TRACKER, 7, 0],
        [GHOST, 6, 0],
      ]);
      expect(res.unallocated).toEqual({ total: 5, previousTotal: 1 });
      expect(res).toMatchObject({
        currency: 'EUR',
        from: '2026-03-01',
        to: '2026-03-10',
        previousFrom: '2026-02-19',
        previousTo: '2026-02-28',
      });
      expect(res.items[1]).toEqual({
        key: ORDERS,
        entityRef: ORDERS,
        title: 'Orders Service',
        total: 15,
        previousTotal: 4,
      });
      // Unknown to the catalog: its name stands in for a title
      expect(res.items[3].title).toBe('ghost-service');
    });

    it('rolls up by team; services the catalog does not know are unallocated', async () => {
      const res = await rollup({ groupBy: 'team' });
      expect(brief(res.items)).toEqual([
        ['group:default/checkout', 35, 4],
        ['group:default/fleet', 7, 0],
      ]);
      expect(res.items[0].title).toBe('Checkout');
      expect(res.unallocated).toEqual({ total: 11, previousTotal: 1 });
    });

    it('rolls up by cost center, counting untagged rows under the cost center they carry', async () => {
      const res = await rollup({ groupBy: 'cost-center' });
      expect(brief(res.items)).toEqual([
        ['CC-1002', 20, 0],
        ['CC-1001', 18, 4],
        ['CC-2001', 7, 0],
      ]);
      expect(res.items[0]).toMatchObject({ entityRef: null, title: 'CC-1002' });
      expect(res.unallocated).toEqual({ total: 8, previousTotal: 1 });
    });

    it('rolls up by business unit through the cost centers it lists', async () => {
      const res = await rollup({ groupBy: 'business-unit' });
      expect(brief(res.items)).toEqual([
        ['group:default/payments', 38, 4],
        ['group:default/logistics', 7, 0],
      ]);
      expect(res.items[0]).toMatchObject({
        entityRef: 'group:default/payments',
        title: 'Payments',
      });
      expect(res.unallocated).toEqual({ total: 8, previousTotal: 1 });
    });

    it('drills down with a filter, keeping the unit unallocated cost', async () => {
      const services = await rollup({
        groupBy: 'service',
        filter: 'business-unit:group:default/payments',
      });
      expect(brief(services.items)).toEqual([
        [GATEWAY, 20, 0],
        [ORDERS, 15, 4],
      ]);
      expect(services.unallocated).toEqual({ total: 3, previousTotal: 0 });
      expect(services.filter).toBe('business-unit:group:default/payments');

      const teams = await rollup({
        groupBy: 'team',
        filter: 'cost-center:CC-1001',
      });
      expect(brief(teams.items)).toEqual([['group:default/checkout', 15, 4]]);
      expect(teams.unallocated).toEqual({ total: 3, previousTotal: 0 });
    });

    it('keeps currencies apart', async () => {
      const usd = await rollup({ groupBy: 'service', currency: 'USD' });
      expect(brief(usd.items)).toEqual([[ORDERS, 100, 0]]);
      expect(usd.currency).toBe('USD');

      const request = parseRollupRequest(
        { groupBy: 'service', from: '2026-03-01', to: '2026-03-10' },
        NOW,
      );
      const rows = await store.rollup(request);
      expect(() =>
        buildRollupResponse({ request, rows, defaultCurrency: 'EUR' }),
      ).toThrow(
        'currency: costs are in EUR, USD; pass currency= to choose one',
      );
    });

    it('draws daily series for the keys asked, the rest and unallocated', async () => {
      const rows = await store.daily({
        groupBy: 'team',
        range: { from: '2026-03-01', to: '2026-03-10' },
        keys: ['group:default/checkout'],
        currency: 'EUR',
      });
      const sorted = rows
        .map(r => [r.kind, r.key, r.date, r.amount])
        .sort((a, b) => `${a}`.localeCompare(`${b}`));
      expect(sorted).toEqual([
        ['group', 'group:default/checkout', '2026-03-01', 10],
        ['group', 'group:default/checkout', '2026-03-02', 20],
        ['group', 'group:default/checkout', '2026-03-05', 5],
        ['other', null, '2026-03-03', 7],
        ['unallocated', null, '2026-03-04', 5],
        ['unallocated', null, '2026-03-06', 6],
      ]);
    });

    it('sums each cost center and business unit per day', async () => {
      const rows = await store.dailyByScope({
        groupBy: 'business-unit',
        range: { from: '2026-03-01', to: '2026-03-31' },
      });
      const payments = rows
        .filter(r => r.key === 'group:default/payments' && r.currency === 'EUR')
        .map(r => [r.date, r.amount])
        .sort();
      expect(payments).toEqual([
        ['2026-03-01', 10],
        ['2026-03-02', 20],
        ['2026-03-04', 3],
        ['2026-03-05', 5],
        ['2026-03-11', 1000],
      ]);
      const one = await store.dailyByScope({
        groupBy: 'cost-center',
        range: { from: '2026-03-01', to: '2026-03-10' },
        key: 'CC-2001',
      });
      expect(one).toEqual([
        { key: 'CC-2001', date: '2026-03-03', currency: 'EUR', amount: 7 },
      ]);
    });
  },
);

describe('parseRollupRequest', () => {
  it.each([
    [{ groupBy: 'region' }, /^groupBy must be one of business-unit/],
    [{}, /^groupBy /],
    [{ groupBy: 'team', from: 'yesterday' }, /^from /],
    [
      { groupBy: 'team', from: '2026-03-05', to: '2026-03-01' },
      /^from .* is after to/,
    ],
    [{ groupBy: 'team', filter: 'region:eu' }, /^filter must be/],
    [
      { groupBy: 'team', filter: 'cost-center:1001' },
      /^filter: '1001' is not a cost center/,
    ],
    [{ groupBy: 'team', filter: 'team:' }, /^filter must be/],
    [{ groupBy: 'team', currency: 'euro' }, /^currency /],
  ])('rejects %j naming the field', (query, message) => {
    expect(() => parseRollupRequest(query, NOW)).toThrow(message);
  });

  it('reads a filter as a lowercase entity ref and finds the previous period', () => {
    expect(
      parseRollupRequest(
        {
          groupBy: 'service',
          from: '2026-01-01',
          to: '2026-12-31',
          filter: 'team:Checkout',
        },
        NOW,
      ),
    ).toEqual({
      groupBy: 'service',
      range: { from: '2026-01-01', to: '2026-12-31' },
      previous: { from: '2025-01-01', to: '2025-12-31' },
      filter: { dimension: 'team', value: 'group:default/checkout' },
      currency: undefined,
    });
  });
});
