import fs from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { serviceCases } from './__testUtils__/cases';
import {
  embeddedConfig,
  JsonObject,
  loadTemplate,
  mergeConfig,
  REPO_ROOT,
  Scaffolder,
  startScaffolder,
} from './__testUtils__/scaffolder';
import { auditTrailPlugin, templateInCatalog } from './__testUtils__/tasks';

/*
 * A task's secrets and the integrations' tokens reach no task event, log
 * line, output or audit record of the Paved Road steps: a full run of the
 * service template with both set, then every byte the API returns about the
 * task is searched for them.
 */

jest.setTimeout(120_000);

const TASK_SECRET = 'task-secret-4f9a1c7e';
const INTEGRATION_TOKEN = 'ghp_integrationToken0123456789abcdef';

describe('secrets never leak', () => {
  let scaffolder: Scaffolder;
  let gitDir: string;
  const audit: JsonObject[] = [];

  beforeAll(async () => {
    gitDir = await fs.mkdtemp(join(os.tmpdir(), 'paved-road-secrets-'));
    const service = await loadTemplate(
      join(REPO_ROOT, 'templates/kotlin-spring-service'),
    );
    scaffolder = await startScaffolder({
      config: mergeConfig(await embeddedConfig(), {
        pavedRoad: { localGit: { directory: gitDir } },
        integrations: {
          github: [{ host: 'github.com', token: INTEGRATION_TOKEN }],
        },
      }),
      entities: [templateInCatalog(service)],
      gitDir,
      features: [auditTrailPlugin(audit)],
    });
  });

  afterAll(async () => {
    await scaffolder?.stop();
    await fs.rm(gitDir, { recursive: true, force: true });
  });

  it('appear in no event, log, output or audit record of a task', async () => {
    const created = await request(scaffolder.server)
      .post('/api/scaffolder/v2/tasks')
      .send({
        templateRef: 'template:default/kotlin-spring-service',
        values: { ...serviceCases[0].values, name: 'secret-free-service' },
        secrets: { USER_OAUTH_TOKEN: TASK_SECRET, OTHER: TASK_SECRET },
      });
    expect(created.status).toBe(201);
    const id = created.body.id;

    let task: JsonObject = {};
    for (let i = 0; i < 600; i++) {
      task = (
        await request(scaffolder.server).get(`/api/scaffolder/v2/tasks/${id}`)
      ).body;
      if (['completed', 'failed'].includes(task.status)) break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect(task.status).toBe('completed');

    const events = (
      await request(scaffolder.server).get(
        `/api/scaffolder/v2/tasks/${id}/events`,
      )
    ).body;
    const list = (
      await request(scaffolder.server).get('/api/scaffolder/v2/tasks')
    ).body;
    // Every step ran and logged: the search below covers real output.
    const messages = events.map((e: JsonObject) => e.body?.message);
    expect(messages.join('\n')).toMatch(/Published secret-free-service/);

    const everything = JSON.stringify({ task, events, list, audit });
    expect(everything).not.toContain(TASK_SECRET);
    expect(everything).not.toContain(INTEGRATION_TOKEN);
  });
});
