import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import {
  insertCost,
  ORDERS,
  ORGANISATION,
} from '../__testUtils__/organisation';
import { computeDimensions } from '../dimensions/computeDimensions';
import { DatabaseDimensionsStore } from '../dimensions/DatabaseDimensionsStore';
import { DatabaseRollupStore } from '../rollups/DatabaseRollupStore';
import { BudgetAlerts } from './BudgetAlerts';
import { AuditQueue, BudgetService } from './BudgetService';
import { DatabaseBudgetStore } from './DatabaseBudgetStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
// The 10th of a 30-day month: the forecast is three times month-to-date
const NOW = new Date('2026-04-10T09:00:00Z');
const alice = mockCredentials.user('user:default/alice');

describe.each(databases.eachSupportedId())('budgets (%s)', databaseId => {
  let knex: Knex;
  let budgetStore: DatabaseBudgetStore;
  let rollups: DatabaseRollupStore;
  let dimensions: DatabaseDimensionsStore;
  let audited: Array<{
    outcome: string;
    summary: string;
    inTransaction: boolean;
  }>;
  const audit: AuditQueue = {
    async enqueue(trx, event) {
      audited.push({
        outcome: event.outcome,
        summary: event.summary,
        inTransaction: 'commit' in trx,
      });
    },
  };

  function service(
    result:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
    queue = audit,
  ) {
    return new BudgetService({
      budgets: budgetStore,
      rollups,
      dimensions,
      permissions: mockServices.permissions({ result }),
      audit: queue,
      defaultCurrency: 'EUR',
      atRiskRatio: 0.9,
      now: () => NOW,
    });
  }

  beforeEach(async () => {
    knex = await databases.init(databaseId);
    const database = mockServices.database({ knex });
    dimensions = await DatabaseDimensionsStore.create({ database });
    await dimensions.replaceAll(computeDimensions(ORGANISATION), 'h1');
    rollups = await DatabaseRollupStore.create({ database });
    budgetStore = await DatabaseBudgetStore.create({ database });
    audited = [];
    // CC-1001: 10 a day from April 1 to 10, MTD 100, forecast 300
    for (let day = 1; day <= 10; day++) {
      await insertCost(knex, {
        date: `2026-04-${String(day).padStart(2, '0')}`,
        entityRef: ORDERS,
        costCenter: 'CC-1001',
        amount: 10,
      });
    }
    await insertCost(knex, {
      date: '2026-03-31',
      entityRef: ORDERS,
      costCenter: 'CC-1001',
      amount: 999,
    });
  });

  describe('reports', () => {
    it.each([
      [400, 'on-track'],
      [333.34, 'on-track'],
      [333.33, 'at-risk'], // 300 is 90% of it
      [301, 'at-risk'],
      [300, 'at-risk'],
      [299.99, 'over'],
      [99.99, 'over'], // month to date already over
    ])('a budget of %d is %s', async (amount, status) => {
      const budgets = service();
      await budgets.setBudget({
        scope: 'cost-center',
        key: 'CC-1001',
        body: { amount, currency: 'EUR' },
        credentials: alice,
      });
      expect(await budgets.getReport('cost-center', 'CC-1001')).toEqual({
        scope: 'cost-center',
        key: 'CC-1001',
        currency: 'EUR',
        month: '2026-04',
        monthToDate: 100,
        forecast: 300,
        budget: expect.objectContaining({ amount, currency: 'EUR' }),
        status,
      });
    });

    it('lists every budget and every known cost center', async () => {
      const budgets = service();
      await budgets.setBudget({
        scope: 'business-unit',
        key: 'group:default/payments',
        body: { amount: 1000, currency: 'EUR' },
        credentials: alice,
      });
      const reports = await budgets.listReports();
      expect(
        reports.map(r => [r.scope, r.key, r.monthToDate, r.forecast, r.status]),
      ).toEqual([
        ['business-unit', 'group:default/payments', 100, 300, 'on-track'],
        ['cost-center', 'CC-1001', 100, 300, 'no-budget'],
        ['cost-center', 'CC-1002', 0, 0, 'no-budget'],
        ['cost-center', 'CC-2001', 0, 0, 'no-budget'],
      ]);
    });
  });

  describe('changes', () => {
    it('keeps every change in the history and audits it in the transaction', async () => {
      const budgets = service();
      await budgets.setBudget({
        scope: 'cost-center',
        key: 'CC-1001',
        body: { amount: 500, currency: 'EUR' },
        credentials: alice,
      });
      const second = await budgets.setBudget({
        scope: 'cost-center',
        key: 'CC-1001',
        body: { amount: 450.5, currency: 'EUR', message: 'Q2 savings' },
        credentials: alice,
      });
      expect(second).toMatchObject({
        scope: 'cost-center',
        key: 'CC-1001',
        amount: 450.5,
        updatedBy: 'user:default/alice',
      });
      expect(await budgets.history('cost-center', 'CC-1001')).toEqual([
        expect.objectContaining({
          previousAmount: 500,
          previousCurrency: 'EUR',
          amount: 450.5,
          message: 'Q2 savings',
          changedBy: 'user:default/alice',
        }),
        expect.objectContaining({ previousAmount: null, amount: 500 }),
      ]);
      expect(audited).toEqual([
        {
          outcome: 'succeeded',
          summary: 'Budget of cost-center CC-1001 500 EUR',
          inTransaction: true,
        },
        {
          outcome: 'succeeded',
          summary:
            'Budget of cost-center CC-1001 500 EUR → 450.5 EUR: Q2 savings',
          inTransaction: true,
        },
      ]);
    });

    it('writes nothing when the audit event cannot be queued', async () => {
      const failing: AuditQueue = {
        enqueue: async () => {
          throw new Error('outbox full');
        },
      };
      await expect(
        service(AuthorizeResult.ALLOW, failing).setBudget({
          scope: 'cost-center',
          key: 'CC-1001',
          body: { amount: 500, currency: 'EUR' },
          credentials: alice,
        }),
      ).rejects.toThrow('outbox full');
      expect(await budgetStore.listBudgets()).toEqual([]);
      expect(await budgetStore.history('cost-center', 'CC-1001')).toEqual([]);
    });

    it('refuses and audits a denied change', async () => {
      await expect(
        service(AuthorizeResult.DENY).setBudget({
          scope: 'cost-center',
          key: 'CC-2001',
          body: { amount: 500, currency: 'EUR' },
          credentials: alice,
        }),
      ).rejects.toThrow('You may not update the budget of cost-center CC-2001');
      expect(audited).toEqual([expect.objectContaining({ outcome: 'denied' })]);
      expect(await budgetStore.listBudgets()).toEqual([]);
    });

    it('names the field of a bad body and refuses unknown cost centers', async () => {
      const budgets = service();
      const set = (body: unknown, key = 'CC-1001') =>
        budgets.setBudget({
          scope: 'cost-center',
          key,
          body,
          credentials: alice,
        });
      await expect(set({ amount: -1, currency: 'EUR' })).rejects.toThrow(
        /^amount: /,
      );
      await expect(set({ amount: 'lots', currency: 'EUR' })).rejects.toThrow(
        /^amount: /,
      );
      await expect(set({ amount: 1, currency: 'eur' })).rejects.toThrow(
        /^currency: /,
      );
      await expect(
        set({ amount: 1, currency: 'EUR' }, 'CC-9999'),
      ).rejects.toThrow(
        'No business unit in the catalog lists the cost center CC-9999',
      );
      expect(audited).toEqual([]);
    });
  });

  describe('alerts', () => {
    function alerts(send: jest.Mock) {
      return new BudgetAlerts({
        budgets: budgetStore,
        rollups,
        dimensions,
        notifications: { send },
        logger: mockServices.logger.mock(),
        spikeFactor: 2,
        explorerPath: '/cost-explorer',
        now: () => NOW,
      });
    }

    it('sends one forecast alert across two runs and two replicas', async () => {
      await service().setBudget({
        scope: 'cost-center',
        key: 'CC-1001',
        body: { amount: 250, currency: 'EUR' },
        credentials: alice,
      });
      const send = jest.fn().mockResolvedValue(undefined);
      // Two instances on one database, as two replicas would be
      const replicaA = alerts(send);
      const replicaB = alerts(send);

      await Promise.all([replicaA.check(), replicaB.check()]);
      await Promise.all([replicaA.check(), replicaB.check()]);

      expect(send).toHaveBeenCalledTimes(1);
      expect(send).toHaveBeenCalledWith({
        recipients: { type: 'entity', entityRef: 'group:default/payments' },
        payload: expect.objectContaining({
          title:
            'Cost center CC-1001: forecast 300.00 EUR is over the budget of 250.00 EUR',
          link: '/cost-explorer?groupBy=team&filter=cost-center%3ACC-1001',
          severity: 'high',
          topic: 'costs-budget',
        }),
      });
      expect(await budgetStore.listAlerts()).toEqual([
        {
          scope: 'cost-center',
          key: 'CC-1001',
          period: '2026-04',
          kind: 'forecast-over',
          details: { monthToDate: 100, forecast: 300, budget: 250 },
        },
      ]);
    });

    it('sends nothing while the forecast stays within the budget', async () => {
      await service().setBudget({
        scope: 'cost-center',
        key: 'CC-1001',
        body: { amount: 300, currency: 'EUR' },
        credentials: alice,
      });
      const send = jest.fn();
      await alerts(send).check();
      expect(send).not.toHaveBeenCalled();
    });

    it('alerts once on a day that costs more than twice its trailing average', async () => {
      await service().setBudget({
        scope: 'cost-center',
        key: 'CC-1001',
        body: { amount: 100000, currency: 'EUR' },
        credentials: alice,
      });
      // April 9 (yesterday): 10 + 15 = 25 against an average of 10
      await insertCost(knex, {
        date: '2026-04-09',
        entityRef: null,
        costCenter: 'CC-1001',
        amount: 15,
      });
      const send = jest.fn().mockResolvedValue(undefined);
      await alerts(send).check();
      await alerts(send).check();
      expect(send).toHaveBeenCalledTimes(1);
      expect(send.mock.calls[0][0].payload.title).toBe(
        'Cost center CC-1001: 2026-04-09 cost 25.00 EUR, 2.5× its 7-day average',
      );
    });

    it('tries again on the next run when sending failed', async () => {
      await service().setBudget({
        scope: 'cost-center',
        key: 'CC-1001',
        body: { amount: 250, currency: 'EUR' },
        credentials: alice,
      });
      const send = jest
        .fn()
        .mockRejectedValueOnce(new Error('notifications down'))
        .mockResolvedValue(undefined);
      const first = await alerts(send).check();
      expect(first.failed).toBe(1);
      expect(await budgetStore.listAlerts()).toEqual([]);
      const second = await alerts(send).check();
      expect(second.sent).toHaveLength(1);
      expect(send).toHaveBeenCalledTimes(2);
    });
  });
});
