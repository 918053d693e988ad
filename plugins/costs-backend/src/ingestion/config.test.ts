import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_INGESTION_SCHEDULE,
  readAllocationTags,
  readCostColumn,
  readCostSources,
  readIngestionSchedule,
} from './config';

describe('readCostSources', () => {
  it('resolves relative paths against the working directory', () => {
    const config = new ConfigReader({
      costs: {
        sources: [
          { id: 'sample', type: 'focus-csv', path: '../../.data/billing' },
          { id: 'aws', type: 'focus-csv', path: '/mnt/exports/aws' },
        ],
      },
    });
    expect(readCostSources(config, '/repo/packages/backend')).toEqual([
      { id: 'sample', type: 'focus-csv', path: '/repo/.data/billing' },
      { id: 'aws', type: 'focus-csv', path: '/mnt/exports/aws' },
    ]);
  });

  it('reads URL sources as they are', () => {
    const config = new ConfigReader({
      costs: {
        sources: [
          {
            id: 's3',
            type: 'focus-csv',
            url: 'https://billing.s3.eu-west-1.amazonaws.com/focus/',
          },
        ],
      },
    });
    expect(readCostSources(config)).toEqual([
      {
        id: 's3',
        type: 'focus-csv',
        url: 'https://billing.s3.eu-west-1.amazonaws.com/focus/',
      },
    ]);
  });

  it('is empty without configuration', () => {
    expect(readCostSources(new ConfigReader({}))).toEqual([]);
  });

  it.each([
    [
      [{ id: 'x', type: 'parquet', path: 'a' }],
      /type 'parquet' is not supported/,
    ],
    [
      [{ id: 'Bad Id', type: 'focus-csv', path: 'a' }],
      /costs.sources\[0\].id 'Bad Id'/,
    ],
    [
      [
        { id: 'x', type: 'focus-csv', path: 'a' },
        { id: 'x', type: 'focus-csv', path: 'b' },
      ],
      /the id 'x' twice/,
    ],
    [[{ id: 'x', type: 'focus-csv' }], /needs either path or url/],
    [
      [{ id: 'x', type: 'focus-csv', path: 'a', url: 'https://x/a.csv' }],
      /needs either path or url/,
    ],
    [
      [{ id: 'x', type: 'focus-csv', url: 'bucket/a.csv' }],
      /url 'bucket\/a.csv' is not an absolute URL/,
    ],
  ])('fails startup on bad sources %j', (sources, message) => {
    expect(() =>
      readCostSources(new ConfigReader({ costs: { sources } })),
    ).toThrow(message);
  });
});

describe('readIngestionSchedule', () => {
  it('defaults to every 30 minutes, shortly after startup', () => {
    expect(readIngestionSchedule(new ConfigReader({}))).toBe(
      DEFAULT_INGESTION_SCHEDULE,
    );
    expect(DEFAULT_INGESTION_SCHEDULE.frequency).toEqual({ minutes: 30 });
  });

  it('reads a configured schedule', () => {
    const config = new ConfigReader({
      costs: {
        ingestion: {
          schedule: { frequency: { hours: 6 }, timeout: { minutes: 5 } },
        },
      },
    });
    expect(readIngestionSchedule(config)).toEqual({
      frequency: { hours: 6 },
      timeout: { minutes: 5 },
    });
  });
});

describe('readCostColumn', () => {
  it('is EffectiveCost unless configured', () => {
    expect(readCostColumn(new ConfigReader({}))).toBe('EffectiveCost');
    expect(
      readCostColumn(
        new ConfigReader({
          costs: { ingestion: { costColumn: 'BilledCost' } },
        }),
      ),
    ).toBe('BilledCost');
    expect(() =>
      readCostColumn(
        new ConfigReader({ costs: { ingestion: { costColumn: 'ListCost' } } }),
      ),
    ).toThrow(/costs.ingestion.costColumn 'ListCost'/);
  });
});

describe('readAllocationTags', () => {
  it('defaults to the paved-road.io tags and reads overrides', () => {
    expect(readAllocationTags(new ConfigReader({}))).toEqual({
      costCenter: 'paved-road.io/cost-center',
      service: 'paved-road.io/service',
    });
    expect(
      readAllocationTags(
        new ConfigReader({
          costs: { allocation: { tags: { costCenter: 'CostCenter' } } },
        }),
      ),
    ).toEqual({ costCenter: 'CostCenter', service: 'paved-road.io/service' });
    expect(() =>
      readAllocationTags(
        new ConfigReader({ costs: { allocation: { tags: { service: ' ' } } } }),
      ),
    ).toThrow(/costs.allocation.tags.service must not be empty/);
  });
});
