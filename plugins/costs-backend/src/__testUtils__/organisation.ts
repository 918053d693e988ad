import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';

function group(
  name: string,
  type: string,
  options: { parent?: string; costCenters?: string; title?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      namespace: 'default',
      title: options.title,
      annotations: options.costCenters
        ? { 'paved-road.io/cost-centers': options.costCenters }
        : {},
    },
    spec: { type, parent: options.parent, children: [] },
  };
}

function component(name: string, owner: string, costCenter?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      title: name
        .split('-')
        .map(w => w[0].toUpperCase() + w.slice(1))
        .join(' '),
      annotations: costCenter
        ? { 'paved-road.io/cost-center': costCenter }
        : {},
    },
    spec: { type: 'service', owner, lifecycle: 'production' },
  };
}

/** Two business units with their cost centers, two teams, three services. */
export const ORGANISATION: Entity[] = [
  group('payments', 'business-unit', {
    costCenters: 'CC-1001,CC-1002',
    title: 'Payments',
  }),
  group('checkout', 'team', { parent: 'payments', title: 'Checkout' }),
  group('logistics', 'business-unit', {
    costCenters: 'CC-2001',
    title: 'Logistics',
  }),
  group('fleet', 'team', { parent: 'logistics', title: 'Fleet' }),
  component('orders-service', 'checkout', 'CC-1001'),
  component('payment-gateway', 'checkout', 'CC-1002'),
  component('fleet-tracker', 'group:default/fleet', 'CC-2001'),
];

export const ORDERS = 'component:default/orders-service';
export const GATEWAY = 'component:default/payment-gateway';
export const FLEET_TRACKER = 'component:default/fleet-tracker';
export const GHOST = 'component:default/ghost-service';

let rowKey = 0;

/** A billing row as ingestion stores it. */
export async function insertCost(
  knex: Knex,
  row: {
    date: string;
    entityRef: string | null;
    costCenter?: string | null;
    amount: number;
    currency?: string;
  },
) {
  rowKey += 1;
  await knex('cost_line_items').insert({
    source_id: 'test',
    row_key: `row-${rowKey}`,
    file_path: 'test.csv',
    charge_date: row.date,
    entity_ref: row.entityRef,
    cost_center: row.costCenter ?? null,
    amount: String(row.amount),
    currency: row.currency ?? 'EUR',
  });
}

/**
 * The known data set of the roll-up tests: March 1–10, 2026 and the ten
 * days before it.
 */
export async function insertKnownCosts(knex: Knex) {
  const rows: Array<Parameters<typeof insertCost>[1]> = [
    {
      date: '2026-03-01',
      entityRef: ORDERS,
      costCenter: 'CC-1001',
      amount: 10,
    },
    { date: '2026-03-05', entityRef: ORDERS, costCenter: 'CC-1001', amount: 5 },
    { date: '2026-02-25', entityRef: ORDERS, costCenter: 'CC-1001', amount: 4 },
    // No cost center on the row: the service's (CC-1002) counts
    { date: '2026-03-02', entityRef: GATEWAY, amount: 20 },
    {
      date: '2026-03-03',
      entityRef: FLEET_TRACKER,
      costCenter: 'CC-2001',
      amount: 7,
    },
    // Unallocated, with and without a cost center
    { date: '2026-03-04', entityRef: null, costCenter: 'CC-1001', amount: 3 },
    { date: '2026-03-04', entityRef: null, amount: 2 },
    { date: '2026-02-20', entityRef: null, amount: 1 },
    // A service the catalog does not know
    { date: '2026-03-06', entityRef: GHOST, amount: 6 },
    // Outside both periods
    {
      date: '2026-03-11',
      entityRef: ORDERS,
      costCenter: 'CC-1001',
      amount: 1000,
    },
    {
      date: '2026-02-18',
      entityRef: ORDERS,
      costCenter: 'CC-1001',
      amount: 1000,
    },
    // Another currency, never added to euros
    {
      date: '2026-03-07',
      entityRef: ORDERS,
      costCenter: 'CC-1001',
      amount: 100,
      currency: 'USD',
    },
  ];
  for (const row of rows) {
    await insertCost(knex, row);
  }
}
