import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { isolatedGitEnv } from '@paved-road/plugin-local-git-node';
import { templateVersionOf } from '@paved-road/plugin-templates-node';
import {
  checkHealth,
  checkToggleFlips,
  checkTraceIdsInLogs,
  findJdk,
  mavenVerify,
  startService,
} from '@paved-road/template-tools/testing';
import {
  REPO_ROOT,
  startScaffolder,
  templateEntity,
  upToPublish,
  withFormDefaults,
} from '../render/__testUtils__/scaffolder';
import {
  author,
  gitIn,
  localGitRunner,
  teamEdits,
} from './__testUtils__/projects';

/*
 * The first real upgrade: a project made from the Kotlin service template
 * as released at 1.0.0 (a snapshot in __fixtures__) and edited by its team
 * (its own Kotlin class, line 3 of the README) is upgraded to the template
 * in templates/ (2.0.0: tracing, feature toggles, coverage gate, SLOs,
 * Java 17 and 25). The upgrade branch, cloned, passes `mvn verify` (tests
 * and coverage gate), starts, logs trace ids and flips its example toggle
 * without a restart, with the team's code in it. Needs JDK 17 and Maven
 * (~/.m2 is reused). PAVED_ROAD_SKIP_MAVEN_TESTS=1 skips it, reported as
 * skipped.
 */

const MINUTE = 60_000;
jest.setTimeout(15 * MINUTE);

const V1_TEMPLATE = join(__dirname, '__fixtures__/kotlin-spring-service-1.0.0');

const jdk = findJdk('17');
const skipMaven = process.env.PAVED_ROAD_SKIP_MAVEN_TESTS === '1' || !jdk;

(skipMaven ? describe.skip : describe)(
  `upgrading a Kotlin service project from 1.0.0${
    jdk ? '' : ' (skipped: no JDK 17 on this machine)'
  }`,
  () => {
    let root: string;
    let scaffolder: Awaited<ReturnType<typeof startScaffolder>>;

    beforeAll(async () => {
      root = await fs.mkdtemp(join(os.tmpdir(), 'paved-road-kotlin-upgrade-'));
    });

    afterAll(async () => {
      await scaffolder?.stop();
      await fs.rm(root, { recursive: true, force: true });
    });

    it("keeps the team's code and brings the current template's features, which work", async () => {
      const v1 = upToPublish(await templateEntity(V1_TEMPLATE));
      const current = upToPublish(
        await templateEntity(join(REPO_ROOT, 'templates/kotlin-spring-service')),
      );
      const toVersion = (await templateVersionOf(current))!;
      expect(toVersion).toMatch(/^[2-9]\./);
      scaffolder = await startScaffolder({
        gitDir: join(root, 'git'),
        entities: [v1],
      });
      await scaffolder.runTask({
        templateRef: 'template:default/kotlin-spring-service',
        values: withFormDefaults(v1, {
          name: 'orders-service',
          owner: 'group:default/checkout',
          javaVersion: '17',
        }),
      });
      const bare = join(root, 'git', 'orders-service.git');
      const git = gitIn(bare);
      const classPath =
        'src/main/kotlin/com/example/ordersservice/greeting/TeamGreeting.kt';
      await teamEdits(bare, root, async dir => {
        await fs.writeFile(
          join(dir, classPath),
          'package com.example.ordersservice.greeting\n\n/** Ours. */\nobject TeamGreeting {\n    const val TEXT = "Hello from the team"\n}\n',
        );
        const readme = (
          await fs.readFile(join(dir, 'README.md'), 'utf8')
        ).split('\n');
        readme[2] = 'Takes orders and ships them (the team says).';
        await fs.writeFile(join(dir, 'README.md'), readme.join('\n'));
      });

      const { outcome, result } = await localGitRunner({
        scaffolder,
        gitDir: join(root, 'git'),
        template: current,
        names: ['orders-service'],
      }).run(
        {
          id: 'job-kotlin',
          entityRef: 'component:default/orders-service',
          templateRef: 'template:default/kotlin-spring-service',
          fromVersion: '1.0.0',
          toVersion,
          status: 'running',
          requestedBy: 'user:default/jdoe',
          createdAt: new Date().toISOString(),
        },
        { author, heartbeat: async () => {} },
      );
      expect({ outcome, conflicts: result.conflicts }).toEqual({
        outcome: 'clean',
        conflicts: [],
      });
      expect(result.changedFiles).toEqual(
        expect.arrayContaining([
          { path: 'deploy/slo.yaml', status: 'A' },
          { path: 'flags/flags.json', status: 'A' },
          { path: 'pom.xml', status: 'M' },
        ]),
      );

      const clone = join(root, 'clone');
      execFileSync('git', ['clone', '-q', '-b', result.branch, bare, clone], {
        env: isolatedGitEnv(),
      });
      await expect(fs.readFile(join(clone, 'README.md'), 'utf8')).resolves.toContain(
        'Takes orders and ships them (the team says).',
      );
      await expect(
        fs.readFile(join(clone, classPath), 'utf8'),
      ).resolves.toContain('Hello from the team');
      expect(git('rev-parse', 'main').trim()).toBe(
        git('rev-parse', `${result.commit}^1`).trim(),
      );

      const built = await mavenVerify(clone, jdk!);
      // eslint-disable-next-line no-console
      console.log(
        `upgraded orders-service: mvn verify ${built.seconds}s, ${built.tests} tests, line coverage ${(built.lineCoverage * 100).toFixed(1)} %`,
      );
      const service = await startService(
        clone,
        join(clone, 'target/orders-service-0.1.0-SNAPSHOT.jar'),
        jdk!,
      );
      try {
        await checkHealth(service);
        await checkTraceIdsInLogs(service);
        await checkToggleFlips(service, clone);
      } finally {
        await service.stop();
      }
    });
  },
);
