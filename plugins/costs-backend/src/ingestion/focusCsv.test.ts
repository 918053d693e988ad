import { CostLineItem } from '../database/CostStore';
import { FocusCsvError, FocusRowProblem, parseFocusCsv } from './focusCsv';

const HEADER =
  'BilledCost,EffectiveCost,BillingCurrency,ChargePeriodStart,ChargePeriodEnd,ChargeCategory,ServiceName,ResourceId,ResourceName,RegionId,SubAccountId,Tags';

function tags(value: Record<string, string>): string {
  return `"${JSON.stringify(value).replace(/"/g, '""')}"`;
}

const ORDERS_TAGS = tags({
  'paved-road.io/service': 'component:default/orders-service',
  'paved-road.io/cost-center': 'CC-1001',
});

async function* chunksOf(text: string) {
  yield text;
}

async function parse(
  lines: string[],
  warnings: FocusRowProblem[] = [],
): Promise<CostLineItem[]> {
  const items: CostLineItem[] = [];
  for await (const item of parseFocusCsv(chunksOf(lines.join('\r\n')), {
    fileName: 'bill.csv',
    onWarning: w => warnings.push(w),
  })) {
    items.push(item);
  }
  return items;
}

async function parseError(lines: string[]): Promise<FocusCsvError> {
  try {
    await parse(lines);
  } catch (error) {
    if (error instanceof FocusCsvError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('parseFocusCsv', () => {
  it('reads a row, allocating it by its tags', async () => {
    const items = await parse([
      HEADER,
      `12.5,10.25,EUR,2026-11-01T00:00:00Z,2026-11-02T00:00:00Z,Usage,Virtual Machines,vm-1,orders-vm,eu-west-1,sub-1,${ORDERS_TAGS}`,
    ]);
    expect(items).toEqual([
      {
        rowKey: expect.stringMatching(/^[0-9a-f]{64}$/),
        chargeDate: '2026-11-01',
        entityRef: 'component:default/orders-service',
        costCenter: 'CC-1001',
        chargeCategory: 'Usage',
        serviceName: 'Virtual Machines',
        resourceId: 'vm-1',
        // EffectiveCost wins over BilledCost, kept as the exact decimal text
        amount: '10.25',
        currency: 'EUR',
      },
    ]);
  });

  it('falls back to BilledCost and reads columns in any order', async () => {
    const items = await parse([
      'Tags,BillingCurrency,ChargePeriodStart,BilledCost,x_Custom',
      '"{""paved-road.io/service"":""payment-gateway""}",usd,2026-11-01 23:30:00,1.5E-3,ignored',
    ]);
    expect(items).toMatchObject([
      {
        chargeDate: '2026-11-01',
        entityRef: 'component:default/payment-gateway',
        costCenter: null,
        amount: '1.5E-3',
        currency: 'USD',
        resourceId: null,
      },
    ]);
  });

  it('dates a charge by the UTC day it starts on', async () => {
    const items = await parse([
      'BilledCost,BillingCurrency,ChargePeriodStart',
      '1,EUR,2026-11-02T01:00:00+02:00',
      '1,EUR,2026-11-02',
    ]);
    expect(items.map(i => i.chargeDate)).toEqual(['2026-11-01', '2026-11-02']);
  });

  it('keeps untagged rows, unallocated', async () => {
    const items = await parse([
      'BilledCost,BillingCurrency,ChargePeriodStart,Tags',
      '3,EUR,2026-11-01T00:00:00Z,',
      '4,EUR,2026-11-01T00:00:00Z,{}',
    ]);
    expect(items.map(i => [i.entityRef, i.costCenter])).toEqual([
      [null, null],
      [null, null],
    ]);
  });

  it('leaves rows with unusable tag values unallocated, with a warning', async () => {
    const warnings: FocusRowProblem[] = [];
    const items = await parse(
      [
        'BilledCost,BillingCurrency,ChargePeriodStart,Tags',
        `1,EUR,2026-11-01,${tags({
          'paved-road.io/service': 'not a ref!',
          'paved-road.io/cost-center': 'marketing',
        })}`,
      ],
      warnings,
    );
    expect(items).toMatchObject([{ entityRef: null, costCenter: null }]);
    expect(warnings).toEqual([
      { line: 2, message: expect.stringContaining("'not a ref!'") },
      { line: 2, message: expect.stringContaining("'marketing'") },
    ]);
  });

  it('gives identical rows distinct keys, and the same keys on every read', async () => {
    const row = `1,1,EUR,2026-11-01,2026-11-02,Usage,S,r,n,g,a,${ORDERS_TAGS}`;
    const first = await parse([HEADER, row, row]);
    const again = await parse([HEADER, row, row]);
    expect(new Set(first.map(i => i.rowKey)).size).toBe(2);
    expect(again.map(i => i.rowKey)).toEqual(first.map(i => i.rowKey));
  });

  it('rejects the whole file, listing every bad row by line', async () => {
    const error = await parseError([
      HEADER,
      `1,1,EUR,2026-11-01,2026-11-02,Usage,S,r,n,g,a,${ORDERS_TAGS}`,
      `1,1,EUR,2026-13-01,,Usage,S,r,n,g,a,{}`,
      `1,abc,EUR,2026-11-01,,Usage,S,r,n,g,a,{}`,
      `1,1,EURO,2026-11-01,,Usage,S,r,n,g,a,{}`,
      `1,1,EUR,2026-11-01,,Usage,S,r,n,g,a,"[1,2]"`,
      `1,1,EUR,2026-11-02,2026-11-01,Usage,S,r,n,g,a,{}`,
      `,,EUR,2026-11-01,,Usage,S,r,n,g,a,{}`,
      `1,1,EUR,2026-11-01`,
    ]);
    expect(error.fileName).toBe('bill.csv');
    expect(error.problems).toEqual([
      {
        line: 3,
        message: "ChargePeriodStart '2026-13-01' is not an ISO 8601 date-time",
      },
      { line: 4, message: "EffectiveCost 'abc' is not an amount" },
      { line: 5, message: "BillingCurrency 'EURO' is not an ISO 4217 code" },
      { line: 6, message: 'Tags is not a JSON object' },
      { line: 7, message: 'ChargePeriodEnd is before ChargePeriodStart' },
      { line: 8, message: 'both EffectiveCost and BilledCost are empty' },
      { line: 9, message: 'has 4 fields, the header has 12' },
    ]);
    expect(error.message).toMatch(/^bill\.csv rejected: line 3: /);
  });

  it('hands out no rows after the first bad one', async () => {
    const seen: CostLineItem[] = [];
    await expect(async () => {
      for await (const item of parseFocusCsv(
        chunksOf(
          [
            'BilledCost,BillingCurrency,ChargePeriodStart',
            '1,EUR,2026-11-01',
            'x,EUR,2026-11-01',
            '2,EUR,2026-11-01',
          ].join('\n'),
        ),
        { fileName: 'bill.csv' },
      )) {
        seen.push(item);
      }
    }).rejects.toThrow(FocusCsvError);
    expect(seen.map(i => i.amount)).toEqual(['1']);
  });

  it('caps the problems listed but counts them all', async () => {
    const bad = Array.from({ length: 25 }, () => 'x,EUR,2026-11-01');
    const error = await parseError([
      'BilledCost,BillingCurrency,ChargePeriodStart',
      ...bad,
    ]);
    expect(error.problems).toHaveLength(10);
    expect(error.problemCount).toBe(25);
    expect(error.message).toContain('(and 15 more)');
  });

  it('rejects files that are not FOCUS exports', async () => {
    expect((await parseError([])).problems[0].message).toMatch(/empty/);
    expect(
      (await parseError(['Cost,Currency', '1,EUR'])).problems[0].message,
    ).toBe(
      'not a FOCUS export, the header lacks ChargePeriodStart, BillingCurrency, EffectiveCost or BilledCost',
    );
  });

  it('reports CSV syntax errors with their line', async () => {
    const error = await parseError([
      'BilledCost,BillingCurrency,ChargePeriodStart',
      '1,EUR,2026-11-01',
      '1,"EUR"x,2026-11-01',
    ]);
    expect(error.problems).toEqual([
      { line: 3, message: "unexpected 'x' after a closing quote" },
    ]);
  });
});
