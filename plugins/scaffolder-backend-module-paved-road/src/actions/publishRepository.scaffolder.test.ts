import { execFileSync } from 'node:child_process';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// A test backend composed as packages/backend is: the module checks at
// start that the local git hosting is installed beside it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import localGitPlugin from '@paved-road/plugin-local-git-backend';
import { isolatedGitEnv } from '@paved-road/plugin-local-git-node';
import request from 'supertest';
import { scaffolderModulePavedRoad } from '../module';

jest.setTimeout(60_000);

// A whole scaffolder task through the real task engine: template from the
// catalog, fetch:plain, then paved-road:publish on the embedded default.
describe('paved-road:publish in a scaffolder task', () => {
  const mockDir = createMockDirectory();

  it('publishes the fetched skeleton as the requesting user', async () => {
    mockDir.setContent({
      skeleton: {
        'catalog-info.yaml': 'kind: Component\n',
        'README.md': '# hello\n',
      },
    });
    const template = {
      apiVersion: 'scaffolder.backstage.io/v1beta3',
      kind: 'Template',
      metadata: {
        name: 'publish-test',
        namespace: 'default',
        annotations: {
          'backstage.io/managed-by-location': `file:${mockDir.resolve(
            'template.yaml',
          )}`,
        },
      },
      spec: {
        type: 'service',
        parameters: [
          {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' } },
          },
        ],
        steps: [
          {
            id: 'plan',
            action: 'paved-road:publish:plan',
            input: { repoName: '${{ parameters.name }}' },
          },
          { id: 'fetch', action: 'fetch:plain', input: { url: './skeleton' } },
          {
            id: 'publish',
            action: 'paved-road:publish',
            input: { repoName: '${{ parameters.name }}' },
          },
        ],
        output: {
          plannedUrl: '${{ steps.plan.output.remoteUrl }}',
          remoteUrl: '${{ steps.publish.output.remoteUrl }}',
          catalogInfoUrl: '${{ steps.publish.output.catalogInfoUrl }}',
        },
      },
    };
    const user = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'jdoe', namespace: 'default' },
      spec: {
        profile: { displayName: 'Jane Doe', email: 'jane.doe@example.com' },
        memberOf: [],
      },
    };

    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModulePavedRoad,
        localGitPlugin,
        catalogServiceMock.factory({ entities: [template, user] }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              reading: {
                allow: [{ host: 'localhost:7007', paths: ['/api/local-git/'] }],
              },
            },
            pavedRoad: {
              publish: { target: 'local-git' },
              localGit: {
                directory: mockDir.resolve('git'),
                baseUrl: 'http://localhost:7007/api/local-git',
                publicRead: true,
              },
            },
          },
        }),
      ],
    });
    const auth = mockCredentials.user.header('user:default/jdoe');

    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', auth)
      .send({
        templateRef: 'template:default/publish-test',
        values: { name: 'hello-service' },
      });
    expect(created.status).toBe(201);

    let task: any;
    for (let i = 0; i < 200; i++) {
      task = (
        await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
          .set('Authorization', auth)
      ).body;
      if (task.status === 'completed' || task.status === 'failed') break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect(task.status).toBe('completed');

    const gitDir = `--git-dir=${mockDir.resolve('git/hello-service.git')}`;
    const log = execFileSync(
      'git',
      [
        gitDir,
        'log',
        '--format=%an <%ae>|%(trailers:key=Paved-Road-Task,valueonly=true)',
        'main',
      ],
      { env: isolatedGitEnv() },
    )
      .toString()
      .trim();
    expect(log).toBe(`Jane Doe <jane.doe@example.com>|${created.body.id}`);

    const events = await request(server)
      .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
      .set('Authorization', auth);
    const completion = events.body.find(
      (e: { type: string }) => e.type === 'completion',
    );
    // The plan said beforehand where publish would put it.
    expect(completion.body.output).toEqual({
      plannedUrl: 'http://localhost:7007/api/local-git/hello-service.git',
      remoteUrl: 'http://localhost:7007/api/local-git/hello-service.git',
      catalogInfoUrl:
        'http://localhost:7007/api/local-git/hello-service/raw/main/catalog-info.yaml',
    });
  });
});
