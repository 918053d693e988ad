import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import request from 'supertest';
import yaml from 'yaml';
import { sampleOrg } from './__fixtures__/sampleOrg';
import { scaffolderModulePavedRoad } from './module';

jest.setTimeout(30_000);

const template = {
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: { name: 'paved-road-dry-run' },
  spec: {
    type: 'service',
    parameters: [
      {
        type: 'object',
        required: ['owner'],
        properties: {
          owner: { type: 'string' },
          costCenter: { type: 'string' },
        },
      },
    ],
    steps: [
      {
        id: 'fetch',
        action: 'fetch:plain',
        input: { url: './skeleton' },
      },
      {
        id: 'costCenter',
        action: 'paved-road:cost-center:resolve',
        input: {
          owner: '${{ parameters.owner }}',
          costCenter: '${{ parameters.costCenter }}',
        },
      },
      {
        id: 'annotate',
        action: 'paved-road:catalog-info:annotate',
        input: {
          owner: '${{ parameters.owner }}',
          businessUnit: '${{ steps.costCenter.output.businessUnit }}',
          costCenter: '${{ steps.costCenter.output.costCenter }}',
        },
      },
    ],
    output: {
      costCenter: '${{ steps.costCenter.output.costCenter }}',
    },
  },
};

const catalogInfo = `# generated
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: new-service
spec:
  type: service
  lifecycle: experimental
  owner: TBD
`;

describe('paved-road actions in a scaffolder dry run', () => {
  const dryRun = async (values: Record<string, string>) => {
    const { server } = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModulePavedRoad,
        catalogServiceMock.factory({ entities: sampleOrg }),
        // Publishes nothing; a target must still be chosen to start.
        mockServices.rootConfig.factory({
          data: {
            pavedRoad: {
              publish: { target: 'github', github: { owner: 'acme' } },
            },
            integrations: { github: [{ host: 'github.com', token: 'x' }] },
          },
        }),
      ],
    });
    return request(server)
      .post('/api/scaffolder/v2/dry-run')
      .send({
        template,
        values,
        directoryContents: [
          {
            path: 'skeleton/catalog-info.yaml',
            base64Content: Buffer.from(catalogInfo).toString('base64'),
          },
        ],
      });
  };

  it('chains resolve into annotate', async () => {
    const res = await dryRun({ owner: 'group:default/fleet' });
    expect(res.status).toBe(200);
    expect(res.body.output).toEqual({ costCenter: 'CC-2001' });
    const file = res.body.directoryContents.find(
      (f: { path: string }) => f.path === 'catalog-info.yaml',
    );
    const written = Buffer.from(file.base64Content, 'base64').toString('utf8');
    expect(written.startsWith('# generated\n')).toBe(true);
    expect(yaml.parse(written)).toMatchObject({
      metadata: {
        annotations: {
          'paved-road.io/cost-center': 'CC-2001',
          'paved-road.io/business-unit': 'group:default/logistics',
        },
      },
      spec: { owner: 'group:default/fleet' },
    });
  });

  it('fails the run with the field named', async () => {
    const res = await dryRun({
      owner: 'group:default/fleet',
      costCenter: 'CC-1001',
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual({
      name: 'InputError',
      message:
        'input.costCenter: Cost center CC-1001 does not belong to business unit group:default/logistics (valid: CC-2001, CC-2002)',
    });
  });
});
