import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  DEFAULT_DEPLOYMENT_SETTINGS,
  DeploymentSettings,
} from '@paved-road/plugin-paved-road-common';
import {
  estimateCost,
  hoursInMonth,
  parseMonth,
  parseSettings,
} from './estimate';
import { lookUpPrice, readPriceSheet } from './priceSheet';

const sheet = readPriceSheet(
  new ConfigReader({
    costs: {
      priceSheet: {
        currency: 'EUR',
        clusters: {
          default: { default: { perVcpuHour: 0.04, perGiBHour: 0.005 } },
          'eu-prod-1': {
            'eu-west-1': { perVcpuHour: 0.05, perGiBHour: 0.006 },
            default: { perVcpuHour: 0.045, perGiBHour: 0.0055 },
          },
        },
      },
    },
  }),
)!;

function settings(overrides: Partial<DeploymentSettings>): DeploymentSettings {
  return { ...DEFAULT_DEPLOYMENT_SETTINGS, ...overrides };
}

describe('estimateCost', () => {
  it('prices one region: replicas × (vCPU + GiB) × hours of the month', () => {
    // 3 × 0.5 vCPU × 744 h = 1116 vCPU-h × 0.05 = 55.80
    // 3 × 1 GiB × 744 h = 2232 GiB-h × 0.006 = 13.392 → 13.39
    const estimate = estimateCost({
      sheet,
      month: '2026-12',
      settings: settings({
        cluster: 'eu-prod-1',
        replicas: 3,
        cpuMillicores: 500,
        memoryMiB: 1024,
        regions: ['eu-west-1'],
      }),
    });
    expect(estimate).toEqual({
      currency: 'EUR',
      month: '2026-12',
      hoursInMonth: 744,
      monthlyTotal: 69.19,
      lines: [
        {
          cluster: 'eu-prod-1',
          region: 'eu-west-1',
          replicas: 3,
          cpuHours: 1116,
          memoryGiBHours: 2232,
          pricePerCpuHour: 0.05,
          pricePerGiBHour: 0.006,
          cpuCost: 55.8,
          memoryCost: 13.39,
          total: 69.19,
        },
      ],
    });
  });

  it('adds a line per region, each at its own price', () => {
    // February 2026: 28 days, 672 h; 2 replicas × 1 vCPU, 2 GiB
    // eu-west-1:    1344 × 0.05  = 67.20, 2688 × 0.006  = 16.128 → 16.13
    // eu-central-1: 1344 × 0.045 = 60.48, 2688 × 0.0055 = 14.784 → 14.78
    const estimate = estimateCost({
      sheet,
      month: '2026-02',
      settings: settings({
        cluster: 'eu-prod-1',
        replicas: 2,
        cpuMillicores: 1000,
        memoryMiB: 2048,
        regions: ['eu-west-1', 'eu-central-1'],
      }),
    });
    expect(estimate.hoursInMonth).toBe(672);
    expect(
      estimate.lines.map(l => [l.region, l.cpuCost, l.memoryCost, l.total]),
    ).toEqual([
      ['eu-west-1', 67.2, 16.13, 83.33],
      ['eu-central-1', 60.48, 14.78, 75.26],
    ]);
    expect(estimate.monthlyTotal).toBe(158.59);
  });

  it('prices the lower bound of every field', () => {
    // April: 720 h; an unknown cluster falls back to default.default
    // 1 × 0.1 vCPU × 720 = 72 × 0.04 = 2.88; 0.125 GiB × 720 = 90 × 0.005 = 0.45
    const estimate = estimateCost({
      sheet,
      month: '2026-04',
      settings: parseSettings(
        settings({
          cluster: 'edge-1',
          replicas: 1,
          cpuMillicores: 100,
          memoryMiB: 128,
          regions: ['us-east-1'],
        }),
      ),
    });
    expect(estimate.lines).toEqual([
      expect.objectContaining({
        cpuHours: 72,
        memoryGiBHours: 90,
        pricePerCpuHour: 0.04,
        pricePerGiBHour: 0.005,
        total: 3.33,
      }),
    ]);
    expect(estimate.monthlyTotal).toBe(3.33);
  });

  it('prices the upper bound of every field', () => {
    // 50 × 16 vCPU × 744 h = 595200 × 0.04 = 23808
    // 50 × 64 GiB × 744 h = 2380800 × 0.005 = 11904; six regions
    const regions = [
      'us-east-1',
      'us-west-2',
      'ap-south-1',
      'sa-east-1',
      'ca-central-1',
      'af-south-1',
    ];
    const estimate = estimateCost({
      sheet,
      month: '2026-01',
      settings: parseSettings(
        settings({
          cluster: 'edge-1',
          replicas: 50,
          cpuMillicores: 16000,
          memoryMiB: 65536,
          regions,
        }),
      ),
    });
    expect(estimate.lines).toHaveLength(6);
    expect(estimate.lines[0]).toMatchObject({
      cpuHours: 595200,
      memoryGiBHours: 2380800,
      cpuCost: 23808,
      memoryCost: 11904,
      total: 35712,
    });
    expect(estimate.monthlyTotal).toBe(214272);
  });
});

describe('parseSettings', () => {
  it.each([
    ['replicas', 0],
    ['replicas', 51],
    ['replicas', 1.5],
    ['cpuMillicores', 99],
    ['cpuMillicores', 16001],
    ['memoryMiB', 127],
    ['memoryMiB', 65537],
    ['regions', []],
    ['regions', ['eu-west-1', 'a', 'b', 'c', 'd', 'e', 'f']],
    ['cluster', 'Prod'],
  ])('rejects %s = %j, naming the field', (field, value) => {
    expect(() =>
      parseSettings({ ...DEFAULT_DEPLOYMENT_SETTINGS, [field]: value }),
    ).toThrow(new RegExp(`^settings\\.${field}(\\.\\d+)?: `));
  });

  it('names a nested field and a missing body', () => {
    expect(() =>
      parseSettings({
        ...DEFAULT_DEPLOYMENT_SETTINGS,
        regions: ['eu-west-1', 'nowhere'],
      }),
    ).toThrow('settings.regions.1: region like eu-west-1');
    expect(() => parseSettings(undefined)).toThrow(/^settings: /);
  });
});

describe('months', () => {
  it('counts the hours of each month, leap years included', () => {
    expect(hoursInMonth('2026-02')).toBe(672);
    expect(hoursInMonth('2028-02')).toBe(696);
    expect(hoursInMonth('2026-04')).toBe(720);
    expect(hoursInMonth('2026-12')).toBe(744);
  });

  it('defaults to the current UTC month and rejects anything else', () => {
    expect(parseMonth(undefined, new Date('2026-12-31T23:30:00Z'))).toBe(
      '2026-12',
    );
    expect(parseMonth('2026-07', new Date())).toBe('2026-07');
    expect(() => parseMonth('2026-13', new Date())).toThrow(/^month /);
    expect(() => parseMonth(['2026-01'], new Date())).toThrow(/^month /);
  });
});

describe('readPriceSheet', () => {
  const read = (priceSheet: object) =>
    readPriceSheet(new ConfigReader({ costs: { priceSheet } }));

  it('is optional', () => {
    expect(readPriceSheet(new ConfigReader({}))).toBeUndefined();
  });

  it('requires the default of defaults, a currency and prices of at least 0', () => {
    expect(() =>
      read({
        currency: 'EUR',
        clusters: {
          local: { default: { perVcpuHour: 0, perGiBHour: 0 } },
        },
      }),
    ).toThrow(/clusters\.default\.default is required/);
    expect(() =>
      read({
        currency: 'euro',
        clusters: {
          default: { default: { perVcpuHour: 1, perGiBHour: 1 } },
        },
      }),
    ).toThrow(/currency 'euro'/);
    expect(() =>
      read({
        currency: 'EUR',
        clusters: {
          default: { default: { perVcpuHour: -1, perGiBHour: 1 } },
        },
      }),
    ).toThrow('costs.priceSheet.clusters.default.default.perVcpuHour');
  });

  it('falls back from region to cluster default to the default cluster', () => {
    expect(lookUpPrice(sheet, 'eu-prod-1', 'eu-west-1').perVcpuHour).toBe(0.05);
    expect(lookUpPrice(sheet, 'eu-prod-1', 'eu-north-1').perVcpuHour).toBe(
      0.045,
    );
    expect(lookUpPrice(sheet, 'local', 'eu-west-1').perVcpuHour).toBe(0.04);
  });
});

describe('the embedded default price sheet', () => {
  it('is valid and prices the sample orders-service', () => {
    const appConfig = parseYaml(
      fs.readFileSync(
        path.resolve(__dirname, '../../../../app-config.yaml'),
        'utf8',
      ),
    );
    const embedded = readPriceSheet(new ConfigReader(appConfig))!;
    // eu-prod-1 in eu-west-1 (its default): 1116 × 0.042 = 46.872 → 46.87,
    // 2232 × 0.0052 = 11.6064 → 11.61
    const estimate = estimateCost({
      sheet: embedded,
      month: '2026-12',
      settings: settings({
        cluster: 'eu-prod-1',
        replicas: 3,
        cpuMillicores: 500,
        memoryMiB: 1024,
        regions: ['eu-west-1'],
      }),
    });
    expect(estimate.monthlyTotal).toBe(58.48);
    // local, the templates' default, is priced as the default
    expect(lookUpPrice(embedded, 'local', 'eu-west-1')).toEqual({
      perVcpuHour: 0.04,
      perGiBHour: 0.005,
    });
  });
});
