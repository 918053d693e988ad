import { mockCredentials } from '@backstage/backend-test-utils';
import type {
  DeploymentDetails,
  DeploymentRuntime,
} from '@paved-road/plugin-deployments-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { gitSync } from './__testUtils__/localGitProject';
import {
  pushChange,
  startLocalRuntimeBackend,
  startSampleGitHosting,
  TestBackend,
} from './__testUtils__/localRuntimeBackend';

/*
 * The deploy flow end to end, as on the embedded default: POST a deployment
 * of a sample service (the Kotlin Spring Boot project the seeder renders
 * from the template), which the engine's runner hands to the local runtime:
 * git clone over HTTP from the local git hosting, `mvn -B package
 * -DskipTests`, JVMs behind the stable URL, canary, bake, promote. Then a
 * commit whose health check path the service does not serve: rolled back,
 * the previous version still answering. Needs JDK 17 and Maven on PATH and
 * takes minutes; PAVED_ROAD_SKIP_MAVEN_TESTS=1 skips it, reported as
 * skipped (the one slow path stays with the other Maven tests).
 */

const MINUTE = 60_000;
jest.setTimeout(20 * MINUTE);

const skipMaven = process.env.PAVED_ROAD_SKIP_MAVEN_TESTS === '1';
const describeMaven = skipMaven ? describe.skip : describe;

const SERVICE = 'orders-service';
const ENTITY = `/api/deployments/entities/default/component/${SERVICE}`;
const BOB = mockCredentials.user.header('user:default/bob');
// Stable URLs away from a running portal's (18100-18199) and the bench's.
const PORTS = { from: 18400, to: 18409 };

async function finished(server: TestBackend['server'], id: string) {
  const deadline = Date.now() + 15 * MINUTE;
  while (Date.now() < deadline) {
    const res = await request(server).get(`/api/deployments/deployments/${id}`);
    expect(res.status).toBe(200);
    if (res.body.finishedAt) {
      return res.body as DeploymentDetails;
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`deployment ${id} did not finish in 15 minutes`);
}

async function logOf(server: TestBackend['server'], id: string) {
  const res = await request(server)
    .get(`/api/deployments/deployments/${id}/events`)
    .query({ limit: 1000 });
  return (res.body.items as Array<{ line: string }>).map(l => l.line);
}

describeMaven('deploying a sample service on the local runtime', () => {
  let root: string;
  let hosting: TestBackend | undefined;
  let deployments: TestBackend | undefined;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-flow-'));
  });

  afterAll(async () => {
    // Stops the service's JVMs and its stable URL.
    await deployments?.stop();
    await hosting?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('builds, canaries, bakes and promotes it; a version failing its health check is rolled back while the previous one serves', async () => {
    const git = await startSampleGitHosting(path.join(root, 'git'));
    hosting = git.backend;
    const gitDir = path.join(git.directory, `${SERVICE}.git`);
    const head = gitSync(['--git-dir', gitDir, 'rev-parse', 'main']).trim();
    const started = await startLocalRuntimeBackend({
      gitDirectory: git.directory,
      gitBaseUrl: git.baseUrl,
      workDirectory: path.join(root, 'work'),
      ports: PORTS,
    });
    deployments = started.backend;
    const { server } = deployments;

    const t0 = Date.now();
    const res = await request(server)
      .post(`${ENTITY}/deployments`)
      .set('Authorization', BOB)
      .send({});
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      status: 'pending',
      commitSha: head,
      strategy: 'canary',
      triggeredBy: 'user:default/bob',
    });

    const done = await finished(server, res.body.id);
    // eslint-disable-next-line no-console
    console.log(
      `deployed ${head.slice(0, 7)} in ${Math.round(
        (Date.now() - t0) / 1000,
      )} s: ${done.stages
        .map(
          s =>
            `${s.name} ${Math.round(
              (Date.parse(s.finishedAt!) - Date.parse(s.startedAt)) / 1000,
            )} s`,
        )
        .join(', ')}`,
    );
    expect({
      status: done.status,
      reason: done.reason,
      tail:
        done.status === 'succeeded'
          ? []
          : (await logOf(server, done.id)).slice(-20),
    }).toEqual({ status: 'succeeded', reason: null, tail: [] });
    expect(done.stages.map(s => [s.name, s.status])).toEqual([
      ['build', 'succeeded'],
      ['canary', 'succeeded'],
      ['bake', 'succeeded'],
      ['promote', 'succeeded'],
    ]);
    const log = await logOf(server, done.id);
    expect(log).toContain('[INFO] BUILD SUCCESS');
    // The sample asks for 4 replicas; the local runtime caps at 2.
    expect(log).toContain(
      '2 of 4 replicas run locally (deployments.local.maxInstances is 2)',
    );

    const runtime = (
      await request(server).get(`${ENTITY}/runtime`).set('Authorization', BOB)
    ).body as DeploymentRuntime;
    expect(runtime).toMatchObject({
      provider: 'local',
      url: expect.stringMatching(/^http:\/\/localhost:184\d\d$/),
    });
    expect(runtime.instances.map(i => [i.version, i.healthy])).toEqual([
      [head, true],
      [head, true],
    ]);
    const health = await fetch(`${runtime.url}/actuator/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'UP' });
    // The service itself answers there, not just its health endpoint.
    const greeting = await fetch(`${runtime.url}/api/greetings?name=Ada`);
    expect(greeting.status).toBe(200);

    // A commit that checks a path the service does not serve.
    const broken = pushChange(
      gitDir,
      'deploy/paved-road.yaml',
      text =>
        text.replace(
          'healthCheckPath: /actuator/health',
          'healthCheckPath: /actuator/missing',
        ),
      'Check the new health endpoint',
    );
    const t1 = Date.now();
    const second = await request(server)
      .post(`${ENTITY}/deployments`)
      .set('Authorization', BOB)
      .send({});
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({
      commitSha: broken,
      previousCommitSha: head,
      settings: { rollout: { healthCheckPath: '/actuator/missing' } },
    });

    const failed = await finished(server, second.body.id);
    // eslint-disable-next-line no-console
    console.log(
      `rolled back ${broken.slice(0, 7)} in ${Math.round(
        (Date.now() - t1) / 1000,
      )} s`,
    );
    expect(failed).toMatchObject({
      status: 'rolled-back',
      reason: expect.stringMatching(
        /answers 404 on \/actuator\/missing: this version has no such health check path/,
      ),
    });
    expect(failed.stages.map(s => [s.name, s.status])).toEqual([
      ['build', 'succeeded'],
      ['canary', 'failed'],
      ['rollback', 'succeeded'],
    ]);

    // The previous version still serves, on the same URL.
    const after = (
      await request(server).get(`${ENTITY}/runtime`).set('Authorization', BOB)
    ).body as DeploymentRuntime;
    expect(after.url).toBe(runtime.url);
    expect(after.instances).toEqual(runtime.instances);
    const stillUp = await fetch(`${runtime.url}/actuator/health`);
    expect(await stillUp.json()).toMatchObject({ status: 'UP' });

    // Both in the history, newest first, and in the DORA figures.
    const history = await request(server)
      .get(`${ENTITY}/deployments`)
      .set('Authorization', BOB);
    expect(
      history.body.items
        .filter((d: DeploymentDetails) => d.source === 'portal')
        .map((d: DeploymentDetails) => [d.commitSha, d.status]),
    ).toEqual([
      [broken, 'rolled-back'],
      [head, 'succeeded'],
    ]);
    const dora = await request(server)
      .get(`${ENTITY}/dora`)
      .set('Authorization', BOB);
    expect(dora.body).toMatchObject({
      deploymentFrequency: { successful: 1 },
      leadTimeForChanges: { deployments: 1 },
      changeFailureRate: { failed: 1, total: 2, rate: 0.5 },
      timeToRestore: { incidents: 1, restored: 0 },
    });
  });
});
