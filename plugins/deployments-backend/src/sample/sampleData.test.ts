import {
  createMockDirectory,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import path from 'node:path';
import { DatabaseDeploymentsStore } from '../database/DatabaseDeploymentsStore';
import { DeploymentsStore } from '../database/DeploymentsStore';
import {
  importSampleData,
  importSampleDataFromConfig,
  parseSampleData,
} from './sampleData';

jest.setTimeout(60_000);

const NOW = new Date('2026-03-01T12:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;

const EXAMPLE_FILE = path.resolve(
  resolvePackagePath('@paved-road/plugin-deployments-backend'),
  '../../examples/deployments.yaml',
);

const VALID_YAML = `
services:
  - entityRef: Component:default/Orders-Service
    settingsVersions:
      - version: 1
        createdBy: user:default/alice
        daysAgo: 10
        settings:
          cluster: eu-prod-1
          replicas: 3
          cpuMillicores: 500
          memoryMiB: 1024
          regions: [eu-west-1]
          rollout: { strategy: canary }
    deployments:
      - id: sample-orders-01
        version: 1.4.2
        environment: production
        status: succeeded
        strategy: canary
        triggeredBy: user:default/bob
        daysAgo: 3
        durationMinutes: 7
      - id: sample-orders-02
        version: 1.5.0
        environment: staging
        status: in-progress
        strategy: rolling
        triggeredBy: user:default/alice
        daysAgo: 0.5
`;

function parse(yamlText: string) {
  return parseSampleData(yamlText, { now: NOW, source: 'test.yaml' });
}

describe('parseSampleData', () => {
  it('turns offsets into timestamps and normalises refs', () => {
    const data = parse(VALID_YAML);

    expect(data.settingsVersions).toEqual([
      {
        entityRef: 'component:default/orders-service',
        version: 1,
        // Schema defaults are filled in, so stored settings are complete.
        settings: {
          cluster: 'eu-prod-1',
          replicas: 3,
          cpuMillicores: 500,
          memoryMiB: 1024,
          regions: ['eu-west-1'],
          rollout: {
            strategy: 'canary',
            canaryPercent: 10,
            healthCheckPath: '/actuator/health',
          },
        },
        createdBy: 'user:default/alice',
        createdAt: '2026-02-19T12:00:00.000Z',
        // Stored through the same store as real versions, marked as samples.
        source: 'sample',
        commitSha: null,
        commitUrl: null,
        message: null,
      },
    ]);
    expect(data.deployments).toEqual([
      {
        id: 'sample-orders-01',
        entityRef: 'component:default/orders-service',
        environment: 'production',
        version: '1.4.2',
        status: 'succeeded',
        strategy: 'canary',
        triggeredBy: 'user:default/bob',
        startedAt: '2026-02-26T12:00:00.000Z',
        finishedAt: '2026-02-26T12:07:00.000Z',
      },
      expect.objectContaining({
        id: 'sample-orders-02',
        status: 'in-progress',
        startedAt: '2026-03-01T00:00:00.000Z',
        finishedAt: null,
      }),
    ]);
  });

  it.each([
    [
      'an unknown status',
      VALID_YAML.replace('status: succeeded', 'status: done'),
      /services\[0\]\.deployments\[0\]\.status \(Component:default\/Orders-Service, deployment sample-orders-01\): Invalid option/,
    ],
    [
      'a finished deployment without a duration',
      VALID_YAML.replace('durationMinutes: 7', ''),
      /deployments\[0\]\.durationMinutes .*deployment sample-orders-01\): is required for a succeeded deployment/,
    ],
    [
      'a running deployment with a duration',
      VALID_YAML.replace(
        'daysAgo: 0.5',
        'daysAgo: 0.5\n        durationMinutes: 3',
      ),
      /deployment sample-orders-02\): must be left out while a deployment is in-progress/,
    ],
    [
      'invalid settings',
      VALID_YAML.replace('replicas: 3', 'replicas: 0'),
      // Named as written in the file, so it can be searched for.
      /settingsVersions\[0\]\.settings\.replicas \(Component:default\/Orders-Service, settings version 1\)/,
    ],
    [
      'a malformed entity ref',
      VALID_YAML.replace('Component:default/Orders-Service', 'orders-service'),
      /services\[0\]\.entityRef .*must be a full entity ref/,
    ],
    [
      'an unknown field',
      VALID_YAML.replace(
        'daysAgo: 3',
        'daysAgo: 3\n        startedAt: yesterday',
      ),
      /services\[0\]\.deployments\[0\] .*startedAt/,
    ],
    [
      'a version YAML reads as a number',
      VALID_YAML.replace('version: 1.5.0', 'version: 1.5'),
      /deployments\[1\]\.version .*: must be a string; quote versions like "2.0"/,
    ],
    [
      'a duplicated deployment id',
      VALID_YAML.replace('id: sample-orders-02', 'id: sample-orders-01'),
      /deployment id sample-orders-01 is used twice/,
    ],
    [
      'broken YAML',
      'services: [',
      /Invalid deployments sample data in test\.yaml/,
    ],
    ['an empty file', '', /test\.yaml: file: /],
  ])('rejects %s, naming the entry', (_name, yamlText, message) => {
    expect(() => parse(yamlText)).toThrow(message);
  });

  it('accepts the shipped examples/deployments.yaml', () => {
    const data = parse(fs.readFileSync(EXAMPLE_FILE, 'utf8'));

    expect(new Set(data.deployments.map(d => d.entityRef))).toEqual(
      new Set([
        'component:default/orders-service',
        'component:default/payment-gateway',
        'component:default/fleet-tracker',
        'component:default/inventory-service',
      ]),
    );
    const statuses = data.deployments.map(d => d.status);
    expect(statuses.filter(s => s === 'failed')).toHaveLength(1);
    expect(statuses.filter(s => s === 'rolled-back')).toHaveLength(1);
    for (const d of data.deployments) {
      const age = NOW.getTime() - Date.parse(d.startedAt);
      expect(age).toBeGreaterThan(0);
      expect(age).toBeLessThanOrEqual(31 * DAY_MS);
    }
  });
});

describe('importSampleData', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  const mockDir = createMockDirectory();

  let afterTest: (() => void) | undefined;

  beforeEach(() => {
    mockDir.clear();
  });

  afterEach(() => {
    afterTest?.();
    afterTest = undefined;
  });

  async function snapshot(store: DeploymentsStore) {
    const ref = 'component:default/orders-service';
    return {
      deployments: await store.listDeployments(ref, { limit: 200 }),
      settings: await store.listSettingsVersions(ref),
    };
  }

  it.each(databases.eachSupportedId())(
    'is idempotent, keeping the rows of the first import, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const store = await DatabaseDeploymentsStore.create({
        database: mockServices.database({ knex }),
      });
      mockDir.setContent({ 'deployments.yaml': VALID_YAML });
      const file = mockDir.resolve('deployments.yaml');
      const logger = mockServices.logger.mock();

      await importSampleData({ file, store, logger, now: NOW });
      const first = await snapshot(store);
      expect(first.deployments).toHaveLength(2);
      expect(first.settings).toHaveLength(1);

      // A later restart computes later timestamps; existing rows must win.
      await importSampleData({
        file,
        store,
        logger,
        now: new Date(NOW.getTime() + DAY_MS),
      });
      await expect(snapshot(store)).resolves.toEqual(first);
    },
  );

  it('resolves a relative path against the working directory', async () => {
    mockDir.setContent({ 'examples/deployments.yaml': VALID_YAML });
    mockDir.addContent({ backend: {} });
    const cwd = process.cwd();
    process.chdir(mockDir.resolve('backend'));
    afterTest = () => process.chdir(cwd);
    const store = {
      insertDeployments: jest.fn(),
      insertSettingsVersions: jest.fn(),
    } as unknown as jest.Mocked<DeploymentsStore>;

    await importSampleData({
      file: '../examples/deployments.yaml',
      store,
      logger: mockServices.logger.mock(),
      now: NOW,
    });

    expect(store.insertDeployments).toHaveBeenCalledWith([
      expect.objectContaining({ id: 'sample-orders-01' }),
      expect.objectContaining({ id: 'sample-orders-02' }),
    ]);
  });

  it('rejects an invalid file before writing anything', async () => {
    mockDir.setContent({
      'deployments.yaml': VALID_YAML.replace('status: succeeded', 'status: ok'),
    });
    const store = {
      insertDeployments: jest.fn(),
      insertSettingsVersions: jest.fn(),
    } as unknown as jest.Mocked<DeploymentsStore>;

    await expect(
      importSampleData({
        file: mockDir.resolve('deployments.yaml'),
        store,
        logger: mockServices.logger.mock(),
      }),
    ).rejects.toThrow(/deployment sample-orders-01/);
    expect(store.insertDeployments).not.toHaveBeenCalled();
    expect(store.insertSettingsVersions).not.toHaveBeenCalled();
  });

  it('names a file it cannot read', async () => {
    const file = mockDir.resolve('missing.yaml');
    await expect(
      importSampleData({
        file,
        store: {} as DeploymentsStore,
        logger: mockServices.logger.mock(),
      }),
    ).rejects.toThrow(`Cannot read deployments sample data ${file}`);
  });
});

describe('importSampleDataFromConfig', () => {
  it('does nothing when no file is configured', async () => {
    const store = {
      insertDeployments: jest.fn(),
      insertSettingsVersions: jest.fn(),
    } as unknown as jest.Mocked<DeploymentsStore>;

    await importSampleDataFromConfig({
      config: mockServices.rootConfig({ data: {} }),
      store,
      logger: mockServices.logger.mock(),
    });

    expect(store.insertDeployments).not.toHaveBeenCalled();
  });
});
