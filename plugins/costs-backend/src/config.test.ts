import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_INGESTION_SCHEDULE,
  readCostSources,
  readDefaultCurrency,
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
    [[{ id: 'x', type: 'focus-csv' }], /path/],
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

describe('readDefaultCurrency', () => {
  it('defaults to EUR and checks the code', () => {
    expect(readDefaultCurrency(new ConfigReader({}))).toBe('EUR');
    expect(
      readDefaultCurrency(
        new ConfigReader({ costs: { defaultCurrency: 'USD' } }),
      ),
    ).toBe('USD');
    expect(() =>
      readDefaultCurrency(
        new ConfigReader({ costs: { defaultCurrency: 'euro' } }),
      ),
    ).toThrow(/not an ISO 4217 code/);
  });
});
