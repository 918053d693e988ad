import type { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { AuditEvent } from '@paved-road/plugin-paved-road-common';
import { screen, within } from '@testing-library/react';
import type { PavedRoadApi, PavedRoadProject } from '../../api/PavedRoadApi';
import { pavedRoadApiRef } from '../../api/PavedRoadApi';
import { auditRouteRef } from '../../routes';
import { EntityAuditCard } from './EntityAuditCard';

const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'orders-service', namespace: 'default' },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/checkout',
  },
};

const PROJECT: PavedRoadProject = {
  entityRef: 'component:default/orders-service',
  createdBy: 'user:default/guest',
  createdAt: '2026-11-20T09:00:00.000Z',
  templateRef: 'template:default/kotlin-service',
  templateVersion: '1.2.0',
  repoUrl: 'https://git.example/orders-service',
  taskId: 't1',
};

function event(id: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id,
    action: 'deployment.started',
    outcome: 'succeeded',
    actor: 'user:default/guest',
    occurredAt: '2026-11-22T10:00:00.000Z',
    entityRef: 'component:default/orders-service',
    owner: 'group:default/checkout',
    businessUnit: 'group:default/payments',
    costCenter: 'CC-1001',
    summary: `deploy v${id}`,
    details: {},
    ...overrides,
  };
}

async function render(api: Partial<PavedRoadApi>) {
  await renderInTestApp(
    <TestApiProvider apis={[[pavedRoadApiRef, api]]}>
      <EntityProvider entity={ENTITY}>
        <EntityAuditCard />
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/paved-road/audit': auditRouteRef,
      },
    },
  );
}

describe('EntityAuditCard', () => {
  it('shows the last events of the entity and links to all of them', async () => {
    const api = {
      listAuditEvents: jest.fn(async () => ({
        items: [
          event('2', { outcome: 'denied', actor: 'user:default/mallory' }),
          event('1'),
        ],
        nextCursor: 'more',
      })),
      getProject: jest.fn(async () => PROJECT),
    };
    await render(api);

    const list = await screen.findByRole('list', { name: 'Recent activity' });
    const [latest, older] = within(list).getAllByRole('listitem');
    expect(within(latest).getByText('deploy v2')).toBeInTheDocument();
    expect(within(latest).getByText(/Deployment started/)).toBeInTheDocument();
    expect(within(latest).getByText('Denied')).toBeInTheDocument();
    expect(
      within(latest).getByRole('link', { name: 'mallory' }),
    ).toHaveAttribute('href', '/catalog/default/user/mallory');
    expect(within(older).getByText('Succeeded')).toBeInTheDocument();

    expect(api.listAuditEvents).toHaveBeenCalledWith(
      { entityRef: 'component:default/orders-service' },
      { limit: 10 },
    );
    expect(api.getProject).toHaveBeenCalledWith(
      'component:default/orders-service',
    );
    expect(
      screen.getByRole('link', { name: /View all activity/ }),
    ).toHaveAttribute(
      'href',
      '/paved-road/audit?entityRef=component%3Adefault%2Forders-service',
    );
    // How the project came to be, from its project record.
    expect(screen.getByText(/^Created/)).toHaveTextContent(
      /by guest from kotlin-service 1\.2\.0 · repository/,
    );
    expect(screen.getByRole('link', { name: /^repository/ })).toHaveAttribute(
      'href',
      PROJECT.repoUrl,
    );
  });

  it('says when nothing has been recorded, and leaves out the origin of an entity no template created', async () => {
    await render({
      listAuditEvents: jest.fn(async () => ({ items: [], nextCursor: null })),
      getProject: jest.fn(async () => undefined),
    });
    expect(
      await screen.findByText('No activity recorded yet.'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/^Created/)).not.toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /View all activity/ }),
    ).toBeInTheDocument();
  });

  it('shows why the activity could not be loaded', async () => {
    await render({
      listAuditEvents: jest.fn(async () => {
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: { name: 'NotAllowedError', message: 'Not allowed' },
              response: { statusCode: 403 },
            }),
            { status: 403, headers: { 'content-type': 'application/json' } },
          ),
        );
      }),
      getProject: jest.fn(async () => undefined),
    });
    expect((await screen.findAllByText(/Not allowed/)).length).toBeGreaterThan(
      0,
    );
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });
});
