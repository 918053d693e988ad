import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { createLocalGitProject } from './__testUtils__/localGitProject';
import {
  GOOD_AVAILABILITY_QUERY,
  SLO_FILE,
  TOTAL_QUERY,
} from './__testUtils__/sloFixtures';
import { Decide, testServices } from './__testUtils__/testServices';
import { deploymentsPlugin } from './plugin';

jest.setTimeout(60_000);

const ORDERS = '/api/deployments/entities/default/component/orders-kt';
const ALICE = mockCredentials.user.header('user:default/alice');

describe('service level objectives', () => {
  let project: Awaited<ReturnType<typeof createLocalGitProject>>;

  beforeEach(async () => {
    project = await createLocalGitProject();
  });
  afterEach(() => project.cleanup());

  async function startBackend(decide: Decide = () => AuthorizeResult.ALLOW) {
    const { server } = await startTestBackend({
      features: [
        deploymentsPlugin,
        ...testServices({
          directory: project.directory,
          users: ['guest', 'alice'],
          decide,
          tasks: new Map(),
          events: [],
        }),
      ],
    });
    return server;
  }

  const getSlos = (
    server: Awaited<ReturnType<typeof startBackend>>,
    name = 'orders-kt',
  ) =>
    request(server)
      .get(`/api/deployments/entities/default/component/${name}/slos`)
      .set('Authorization', ALICE);

  it('reads the SLOs of deploy/slo.yaml at the head of the default branch, with their error budgets', async () => {
    project.pushChange('deploy/slo.yaml', SLO_FILE, 'Add SLOs');
    const server = await startBackend();

    const res = await getSlos(server);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      file: 'deploy/slo.yaml',
      found: true,
      problems: [],
      slos: [
        {
          name: 'orders-kt-availability',
          displayName: 'Availability',
          description: 'Requests answered without a server error',
          service: 'orders-kt',
          budgetingMethod: 'Occurrences',
          timeWindow: { duration: '28d', isRolling: true, calendar: null },
          indicator: {
            type: 'ratio',
            name: 'orders-kt-non-5xx',
            displayName: null,
            good: { sourceType: 'Prometheus', query: GOOD_AVAILABILITY_QUERY },
            bad: null,
            total: { sourceType: 'Prometheus', query: TOTAL_QUERY },
            threshold: null,
          },
          objectives: [
            {
              displayName: '99.5 % of requests succeed',
              target: 0.995,
              op: null,
              value: null,
              errorBudget: {
                fraction: 0.005,
                seconds: 12096,
                duration: '3 h 21 min 36 s',
              },
            },
          ],
          document: 1,
        },
        expect.objectContaining({
          name: 'orders-kt-latency',
          objectives: [
            expect.objectContaining({
              target: 0.95,
              errorBudget: {
                fraction: 0.05,
                seconds: 120960,
                duration: '1 d 9 h 36 min',
              },
            }),
          ],
          document: 2,
        }),
      ],
    });

    // A later commit is what the next read shows: nothing is cached.
    project.pushChange(
      'deploy/slo.yaml',
      SLO_FILE.replace('target: 0.995', 'target: 0.999'),
      'Tighter availability',
    );
    const after = await getSlos(server);
    expect(after.body.slos[0].objectives[0].errorBudget.duration).toBe(
      '40 min 19 s',
    );
  });

  it('answers found: false for a project without deploy/slo.yaml (template v1)', async () => {
    const server = await startBackend();

    const res = await getSlos(server);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      slos: [],
      problems: [],
      file: 'deploy/slo.yaml',
      found: false,
    });
  });

  it('answers 200 with problems naming the document and field of an invalid SLO, and the valid ones', async () => {
    project.pushChange(
      'deploy/slo.yaml',
      SLO_FILE.replace('target: 0.95', 'target: 95'),
      'Latency in percent',
    );
    const server = await startBackend();

    const res = await getSlos(server);

    expect(res.status).toBe(200);
    expect(res.body.found).toBe(true);
    expect(res.body.slos.map((slo: { name: string }) => slo.name)).toEqual([
      'orders-kt-availability',
    ]);
    expect(res.body.problems).toEqual([
      {
        document: 2,
        field: 'spec.objectives[0].target',
        message: 'must be between 0 and 1',
      },
    ]);
  });

  it('404s for an entity the catalog does not have', async () => {
    const server = await startBackend();

    const res = await getSlos(server, 'unknown');

    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
  });

  it('403s when the policy denies reading the entity', async () => {
    project.pushChange('deploy/slo.yaml', SLO_FILE, 'Add SLOs');
    const server = await startBackend(permission =>
      permission === 'catalog.entity.read'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    );

    const res = await getSlos(server);

    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({
      name: 'NotAllowedError',
      message: 'Not allowed: catalog.entity.read',
    });
  });

  it('401s without credentials and serves a service token', async () => {
    const server = await startBackend();

    const none = await request(server)
      .get(`${ORDERS}/slos`)
      .set('Authorization', mockCredentials.none.header());
    const service = await request(server)
      .get(`${ORDERS}/slos`)
      .set('Authorization', mockCredentials.service.header());

    expect(none.status).toBe(401);
    expect(service.status).toBe(200);
  });

  describe('get-service-level-objectives action', () => {
    const invoke = (
      server: Awaited<ReturnType<typeof startBackend>>,
      input: object,
    ) =>
      request(server)
        .post(
          '/api/deployments/.backstage/actions/v2/actions/deployments:get-service-level-objectives/invoke',
        )
        .set('Authorization', ALICE)
        .send({ input });

    it('returns the SLOs and the problems as text', async () => {
      project.pushChange(
        'deploy/slo.yaml',
        SLO_FILE.replace('target: 0.95', 'target: 95'),
        'Latency in percent',
      );
      const server = await startBackend();

      const res = await invoke(server, { entityRef: 'orders-kt' });

      expect(res.status).toBe(200);
      expect(res.body.output).toEqual({
        file: 'deploy/slo.yaml',
        found: true,
        slos: [
          expect.objectContaining({
            name: 'orders-kt-availability',
            objectives: [
              expect.objectContaining({
                errorBudget: expect.objectContaining({
                  duration: '3 h 21 min 36 s',
                }),
              }),
            ],
          }),
        ],
        problems: [
          'document 2: spec.objectives[0].target: must be between 0 and 1',
        ],
      });
    });

    it('answers found: false without the file', async () => {
      const allowed = await startBackend();
      const res = await invoke(allowed, {
        entityRef: 'component:default/orders-kt',
      });
      expect(res.body.output).toEqual({
        file: 'deploy/slo.yaml',
        found: false,
        slos: [],
        problems: [],
      });
    });

    it('refuses when the policy denies reading the entity', async () => {
      const server = await startBackend(() => AuthorizeResult.DENY);

      const res = await invoke(server, { entityRef: 'orders-kt' });

      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
    });
  });
});
