import { Readable } from 'node:stream';
import { CostLineItem } from '../database/CostStore';
import { Allocator, noResourceOwners, ResourceOwnerLookup } from './allocation';
import { CostColumn } from './config';
import {
  FocusFileRejectedError,
  FocusReadResult,
  MAX_REJECTED_LISTED,
  readFocusCsv,
} from './focusCsv';
import {
  FOCUS_1_2_COLUMNS,
  FOCUS_1_3_COLUMNS,
  focusFile,
  tags,
} from './__testUtils__/focusFiles';

const TAGS = {
  service: 'paved-road.io/service',
  costCenter: 'paved-road.io/cost-center',
};
const ORDERS_TAGS = tags({
  'paved-road.io/service': 'component:default/orders-service',
  'paved-road.io/cost-center': 'CC-1001',
});
const NOW = new Date('2026-11-22T12:00:00Z');

async function read(
  text: string,
  options: { costColumn?: CostColumn; owners?: ResourceOwnerLookup } = {},
): Promise<{ items: CostLineItem[]; result: FocusReadResult }> {
  // Small chunks: records, quotes and CRLFs split across them
  const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
  const { items, result } = readFocusCsv(Readable.from(chunks), {
    costColumn: options.costColumn ?? 'EffectiveCost',
    allocator: new Allocator(TAGS, options.owners ?? noResourceOwners),
    now: NOW,
  });
  const all: CostLineItem[] = [];
  for await (const item of items) {
    all.push(item);
  }
  return { items: all, result };
}

async function rejectedFile(text: string): Promise<FocusFileRejectedError> {
  const error = await read(text).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof FocusFileRejectedError) {
    return error;
  }
  throw new Error(`expected the file to be rejected, got ${error}`);
}

const MINIMAL = 'EffectiveCost,BillingCurrency,ChargePeriodStart,Tags';

describe('readFocusCsv', () => {
  it('reads a FOCUS 1.2 export with every column', async () => {
    const { items, result } = await read(
      focusFile(FOCUS_1_2_COLUMNS, [{ Tags: ORDERS_TAGS }]),
    );
    expect(items).toEqual([
      {
        rowKey: expect.stringMatching(/^[0-9a-f]{64}$/),
        chargeDate: '2026-11-01',
        entityRef: 'component:default/orders-service',
        costCenter: 'CC-1001',
        chargeCategory: 'Usage',
        serviceName: 'Virtual Machines',
        resourceId: 'vm-1',
        amount: '10.25',
        currency: 'EUR',
      },
    ]);
    expect(result).toMatchObject({ acceptedCount: 1, rejectedCount: 0 });
  });

  it('reads a FOCUS 1.3 export, allocating by AllocatedTags and AllocatedResourceId', async () => {
    const owners: ResourceOwnerLookup = {
      find: id =>
        id === 'pod/fleet-api'
          ? { entityRef: 'component:default/fleet-tracker', costCenter: null }
          : undefined,
    };
    const { items } = await read(
      focusFile(FOCUS_1_3_COLUMNS, [
        // A shared cluster's cost split to a workload by its tags
        {
          ResourceId: 'cluster-1',
          AllocatedResourceId: 'pod/orders',
          AllocatedTags: ORDERS_TAGS,
        },
        // ... and to a workload claimed by an entity annotation
        { ResourceId: 'cluster-1', AllocatedResourceId: 'pod/fleet-api' },
        // Not split at all
        { ResourceId: 'cluster-1' },
      ]),
      { owners },
    );
    expect(items.map(i => [i.entityRef, i.costCenter, i.resourceId])).toEqual([
      ['component:default/orders-service', 'CC-1001', 'cluster-1'],
      ['component:default/fleet-tracker', null, 'cluster-1'],
      [null, null, 'cluster-1'],
    ]);
  });

  it('stores the configured cost column', async () => {
    const file = focusFile(FOCUS_1_2_COLUMNS, [{}]);
    expect((await read(file)).items[0].amount).toBe('10.25');
    expect(
      (await read(file, { costColumn: 'BilledCost' })).items[0].amount,
    ).toBe('12.5');
  });

  it('reads columns in any order, SQL-style dates and scientific amounts', async () => {
    const { items } = await read(
      [
        'Tags,BillingCurrency,ChargePeriodStart,EffectiveCost,x_Custom',
        '"{""paved-road.io/service"":""payment-gateway""}",usd,2026-11-01 23:30:00,1.5E-3,ignored',
      ].join('\n'),
    );
    expect(items).toMatchObject([
      {
        chargeDate: '2026-11-01',
        entityRef: 'component:default/payment-gateway',
        amount: '1.5E-3',
        currency: 'USD',
      },
    ]);
  });

  it('dates a charge by the UTC day it starts on, and checks the day exists', async () => {
    const { items } = await read(
      [
        'EffectiveCost,BillingCurrency,ChargePeriodStart',
        '1,EUR,2026-11-02T01:00:00+02:00',
        '1,EUR,2026-11-02',
        '1,EUR,2026-11-01T23:30:00.123-0100',
        '1,EUR,2026-W44-7',
        '1,EUR,2026-02-30',
      ].join('\n'),
    );
    expect(items.map(i => i.chargeDate)).toEqual([
      '2026-11-01',
      '2026-11-02',
      '2026-11-02',
      '2026-11-01',
    ]);
  });

  it('gives identical rows distinct keys, the same on every read, whatever the column order', async () => {
    const row = { Tags: ORDERS_TAGS };
    const first = await read(focusFile(FOCUS_1_2_COLUMNS, [row, row]));
    const again = await read(focusFile(FOCUS_1_2_COLUMNS, [row, row]));
    const reversed = await read(
      focusFile([...FOCUS_1_2_COLUMNS].reverse(), [row, row]),
    );
    const keys = first.items.map(i => i.rowKey);
    expect(new Set(keys).size).toBe(2);
    expect(again.items.map(i => i.rowKey)).toEqual(keys);
    expect(reversed.items.map(i => i.rowKey)).toEqual(keys);
  });

  it('rejects bad rows with their line numbers and ingests the rest', async () => {
    const { items, result } = await read(
      [
        `${MINIMAL},ChargePeriodEnd`,
        `1,EUR,2026-11-01,{},`,
        `abc,EUR,2026-11-01,{},`,
        `NaN,EUR,2026-11-01,{},`,
        `Infinity,EUR,2026-11-01,{},`,
        `1e13,EUR,2026-11-01,{},`,
        `,EUR,2026-11-01,{},`,
        `1,EUR,2026-13-01,{},`,
        `1,EUR,,{},`,
        `1,EUR,1999-12-31T00:00:00Z,{},`,
        `1,EUR,2026-11-24T00:00:00Z,{},`,
        `1,EUR,2026-11-02,{},2026-11-01`,
        `1,EUR,2026-11-01,{},not-a-date`,
        `1,EURO,2026-11-01,{},`,
        `1,EUR,2026-11-01,"[1,2]",`,
        `1,EUR,2026-11-01,{not json},`,
        `1,EUR,2026-11-01`,
        // A quoted field over two lines: the next row starts on line 20
        `2,EUR,2026-11-01,"{""note"":""two lines"",`,
        `""n"":""x""}",`,
        '',
        `x,EUR,2026-11-01,{},`,
      ].join('\r\n'),
    );
    expect(items.map(i => i.amount)).toEqual(['1', '2']);
    expect(result.rejected).toEqual([
      { line: 3, reason: "EffectiveCost 'abc' is not a number" },
      { line: 4, reason: "EffectiveCost 'NaN' is not a number" },
      { line: 5, reason: "EffectiveCost 'Infinity' is not a number" },
      { line: 6, reason: "EffectiveCost '1e13' is not a number" },
      { line: 7, reason: 'EffectiveCost is empty' },
      {
        line: 8,
        reason: "ChargePeriodStart '2026-13-01' is not an ISO 8601 date-time",
      },
      { line: 9, reason: 'ChargePeriodStart is empty' },
      {
        line: 10,
        reason:
          "ChargePeriodStart '1999-12-31T00:00:00Z' is out of range (2000-01-01 to tomorrow)",
      },
      {
        line: 11,
        reason:
          "ChargePeriodStart '2026-11-24T00:00:00Z' is out of range (2000-01-01 to tomorrow)",
      },
      { line: 12, reason: 'ChargePeriodEnd is before ChargePeriodStart' },
      {
        line: 13,
        reason: "ChargePeriodEnd 'not-a-date' is not an ISO 8601 date-time",
      },
      { line: 14, reason: "BillingCurrency 'EURO' is not an ISO 4217 code" },
      { line: 15, reason: 'Tags is not a JSON object' },
      { line: 16, reason: 'Tags is not a JSON object' },
      { line: 17, reason: 'has 3 fields, the header has 5' },
      { line: 21, reason: "EffectiveCost 'x' is not a number" },
    ]);
    expect(result).toMatchObject({ acceptedCount: 2, rejectedCount: 16 });
  });

  it('counts lines as an editor does, LF or CRLF, inside quotes too', async () => {
    for (const newline of ['\n', '\r\n']) {
      const { result } = await read(
        [
          MINIMAL,
          '1,EUR,2026-11-01,"{',
          '}"',
          '',
          'x,EUR,2026-11-01,"{',
          '',
          '}"',
          'y,EUR,2026-11-01,{}',
        ].join(newline),
      );
      expect(result.rejected.map(r => r.line)).toEqual([5, 8]);
    }
  });

  it('lists the first rejected rows and counts them all', async () => {
    const bad = Array.from({ length: 150 }, () => 'x,EUR,2026-11-01,{}');
    const { result } = await read(
      [MINIMAL, '1,EUR,2026-11-01,{}', ...bad].join('\n'),
    );
    expect(result.rejectedCount).toBe(150);
    expect(result.rejected).toHaveLength(MAX_REJECTED_LISTED);
    expect(result.rejected[0].line).toBe(3);
  });

  it('rejects the whole file on mixed currencies, naming both lines', async () => {
    const error = await rejectedFile(
      [
        MINIMAL,
        '1,EUR,2026-11-01,{}',
        'x,EUR,2026-11-01,{}',
        '2,USD,2026-11-01,{}',
      ].join('\n'),
    );
    expect(error.rejected).toEqual([
      { line: 3, reason: "EffectiveCost 'x' is not a number" },
      {
        line: 4,
        reason:
          'BillingCurrency USD differs from EUR on line 2; a file holds one currency',
      },
    ]);
    expect(error.rejectedCount).toBe(2);
  });

  it('rejects the whole file when its header lacks a required column', async () => {
    const error = await rejectedFile(
      focusFile(
        FOCUS_1_2_COLUMNS.filter(c => c !== 'EffectiveCost'),
        [{}],
      ),
    );
    expect(error.rejected).toEqual([
      {
        line: 1,
        reason: 'not a FOCUS export, the header lacks EffectiveCost',
      },
    ]);
    expect(
      (await rejectedFile('Cost,Currency\n1,EUR')).rejected[0].reason,
    ).toBe(
      'not a FOCUS export, the header lacks ChargePeriodStart, BillingCurrency, EffectiveCost',
    );
  });

  it('rejects an empty file and a file without one usable row', async () => {
    expect((await rejectedFile('')).rejected).toEqual([
      { line: 1, reason: 'the file is empty, expected a FOCUS header row' },
    ]);
    const error = await rejectedFile(
      [MINIMAL, 'x,EUR,2026-11-01,{}', 'y,EUR,2026-11-01,{}'].join('\n'),
    );
    expect(error.rejectedCount).toBe(2);
  });

  it('rejects the whole file on broken CSV, with the line', async () => {
    const error = await rejectedFile(
      [MINIMAL, '1,EUR,2026-11-01,{}', '1,"EUR"x,2026-11-01,{}'].join('\n'),
    );
    expect(error.rejected).toEqual([
      {
        line: 3,
        reason: expect.stringMatching(/^not valid CSV: Invalid Closing Quote/),
      },
    ]);
  });

  it('hands out no row after the file is known to be rejected', async () => {
    const { items } = readFocusCsv(
      Readable.from(
        [
          MINIMAL,
          '1,EUR,2026-11-01,{}',
          '2,USD,2026-11-01,{}',
          '3,EUR,2026-11-01,{}',
        ].join('\n'),
      ),
      {
        costColumn: 'EffectiveCost',
        allocator: new Allocator(TAGS, noResourceOwners),
        now: NOW,
      },
    );
    const seen: string[] = [];
    await expect(async () => {
      for await (const item of items) {
        seen.push(item.amount);
      }
    }).rejects.toThrow(FocusFileRejectedError);
    expect(seen).toEqual(['1']);
  });

  it('keeps rows with unusable tag values, unallocated, counted as warnings', async () => {
    const { items, result } = await read(
      [
        MINIMAL,
        `1,EUR,2026-11-01,"${tags({
          'paved-road.io/service': 'not a ref!',
          'paved-road.io/cost-center': 'marketing',
        }).replace(/"/g, '""')}"`,
      ].join('\n'),
    );
    expect(items).toMatchObject([{ entityRef: null, costCenter: null }]);
    expect(result.warningCount).toBe(2);
    expect(result.firstWarnings[0]).toEqual({
      line: 2,
      reason: expect.stringContaining("'not a ref!'"),
    });
  });

  it('fails, not rejects, when the input itself fails', async () => {
    const input = new Readable({ read() {} });
    const { items } = readFocusCsv(input, {
      costColumn: 'EffectiveCost',
      allocator: new Allocator(TAGS, noResourceOwners),
      now: NOW,
    });
    input.push(`${MINIMAL}\n1,EUR,2026-11-01,{}\n`);
    setTimeout(() => input.destroy(new Error('connection reset')), 10);
    await expect(async () => {
      for await (const _ of items) {
        // drain
      }
    }).rejects.toThrow('connection reset');
  });
});
