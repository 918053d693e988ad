import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  AuditEvent,
  AuditEventPage,
} from '@paved-road/plugin-paved-road-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { PavedRoadApi, pavedRoadApiRef } from '../../api/PavedRoadApi';
import { AuditPage } from './AuditPage';

function event(id: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id,
    action: 'settings.changed',
    outcome: 'succeeded',
    actor: 'user:default/guest',
    occurredAt: '2026-11-22T10:00:00.000Z',
    entityRef: 'component:default/orders-service',
    owner: 'group:default/checkout',
    businessUnit: 'group:default/payments',
    costCenter: 'CC-1001',
    summary: `replicas 2 → 3 (${id})`,
    details: { before: { replicas: 2 }, after: { replicas: 3 } },
    ...overrides,
  };
}

async function forbidden(message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message },
        response: { statusCode: 403 },
      }),
      { status: 403, headers: { 'content-type': 'application/json' } },
    ),
  );
}

/** Shows the page's URL query, which is the filtered view to share. */
const Search = () => (
  <output aria-label="search">{useLocation().search}</output>
);

function mockApi(pages: AuditEventPage[]) {
  let call = 0;
  return {
    getHygiene: jest.fn(),
    listAuditEvents: jest.fn(
      async () => pages[Math.min(call++, pages.length - 1)],
    ),
    exportAuditEvents: jest.fn(async () => new Blob(['id\n'])),
    getProject: jest.fn(),
  } satisfies PavedRoadApi;
}

async function render(api: PavedRoadApi, search = '') {
  await renderInTestApp(
    <TestApiProvider apis={[[pavedRoadApiRef, api]]}>
      <AuditPage />
      <Search />
    </TestApiProvider>,
    {
      routeEntries: [`/paved-road/audit${search}`],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

const startOf = (day: string) => new Date(`${day}T00:00:00`).toISOString();
const endOf = (day: string) => {
  const next = new Date(`${day}T00:00:00`);
  next.setDate(next.getDate() + 1);
  return new Date(next.getTime() - 1).toISOString();
};

describe('AuditPage', () => {
  it('lists the events with who, what, outcome and the entity at that moment', async () => {
    const api = mockApi([
      {
        items: [
          event('e1', { outcome: 'denied', summary: 'deploy refused' }),
          event('e2', {
            actor: 'plugin:scaffolder',
            action: 'project.created',
            entityRef: null,
            owner: null,
            businessUnit: null,
            costCenter: null,
            details: {},
          }),
        ],
        nextCursor: null,
      },
    ]);
    await render(api);

    const table = await screen.findByRole('table', { name: 'Audit events' });
    const [, denied, , created] = within(table).getAllByRole('row');
    expect(within(denied).getByText('Settings changed')).toBeInTheDocument();
    expect(
      within(denied).getByText('Denied').closest('[data-outcome]'),
    ).toHaveAttribute('data-outcome', 'denied');
    expect(within(denied).getByText('deploy refused')).toBeInTheDocument();
    expect(within(denied).getByText('CC-1001')).toBeInTheDocument();
    expect(
      within(denied).getByRole('link', { name: 'orders-service' }),
    ).toHaveAttribute('href', '/catalog/default/component/orders-service');
    expect(within(denied).getByRole('link', { name: 'guest' })).toHaveAttribute(
      'href',
      '/catalog/default/user/guest',
    );
    expect(
      within(denied).getByRole('link', { name: 'payments' }),
    ).toHaveAttribute('href', '/catalog/default/group/payments');
    expect(denied.querySelector('time')).toHaveAttribute(
      'datetime',
      '2026-11-22T10:00:00.000Z',
    );
    // A backend actor has no catalog page; missing refs show a dash.
    expect(within(created).getByText('plugin:scaffolder')).toBeInTheDocument();
    expect(within(created).queryAllByRole('link')).toEqual([]);
    expect(within(created).getAllByText('—')).toHaveLength(4);
    expect(api.listAuditEvents).toHaveBeenCalledWith(
      {
        entityRef: undefined,
        actor: undefined,
        businessUnit: undefined,
        costCenter: undefined,
        action: undefined,
        outcome: undefined,
        from: undefined,
        to: undefined,
      },
      { cursor: undefined, limit: 50 },
    );
  });

  it('opens an event to its recorded details', async () => {
    await render(mockApi([{ items: [event('e1')], nextCursor: null }]));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Show details' }),
    );
    const details = screen.getByRole('region', { name: 'Event details' });
    expect(details).toHaveTextContent('Event e1');
    expect(details).toHaveTextContent('"replicas": 3');
    expect(
      screen.getByRole('button', { name: 'Hide details' }),
    ).toHaveAttribute('aria-expanded', 'true');
  });

  it('queries with the filters of a shared URL, days as whole days', async () => {
    const api = mockApi([{ items: [], nextCursor: null }]);
    await render(
      api,
      '?entityRef=component%3Adefault%2Forders-service&outcome=denied&action=nonsense&from=2026-11-01&to=2026-11-30',
    );

    expect(await screen.findByText('No audit events')).toBeInTheDocument();
    // `action=nonsense` is no action this page knows: dropped, not sent.
    expect(api.listAuditEvents.mock.calls).toEqual([
      [
        {
          entityRef: 'component:default/orders-service',
          outcome: 'denied',
          from: startOf('2026-11-01'),
          to: endOf('2026-11-30'),
        },
        { limit: 50 },
      ],
    ]);
    expect(screen.getByLabelText('Entity')).toHaveValue(
      'component:default/orders-service',
    );
    expect(screen.getByLabelText('From')).toHaveValue('2026-11-01');
  });

  it('puts applied filters in the URL, completing short refs, and queries again', async () => {
    const api = mockApi([{ items: [event('e1')], nextCursor: null }]);
    await render(api);
    await screen.findByRole('table', { name: 'Audit events' });

    await userEvent.type(screen.getByLabelText('Entity'), 'orders-service');
    await userEvent.type(screen.getByLabelText('Actor'), 'guest');
    await userEvent.type(screen.getByLabelText('Cost center'), 'CC-1001');
    await userEvent.click(screen.getByRole('button', { name: /Action/ }));
    await userEvent.click(
      screen.getByRole('option', { name: 'Deployment rolled back' }),
    );
    // Nothing is queried while the form is edited.
    expect(api.listAuditEvents).toHaveBeenCalledTimes(1);
    await userEvent.click(
      screen.getByRole('button', { name: 'Apply filters' }),
    );

    await waitFor(() => expect(api.listAuditEvents).toHaveBeenCalledTimes(2));
    expect(api.listAuditEvents).toHaveBeenLastCalledWith(
      expect.objectContaining({
        entityRef: 'component:default/orders-service',
        actor: 'user:default/guest',
        costCenter: 'CC-1001',
        action: 'deployment.rolled-back',
      }),
      { cursor: undefined, limit: 50 },
    );
    expect(screen.getByRole('status', { name: 'search' })).toHaveTextContent(
      '?entityRef=component%3Adefault%2Forders-service&actor=user%3Adefault%2Fguest&costCenter=CC-1001&action=deployment.rolled-back',
    );

    await userEvent.click(screen.getByRole('button', { name: 'Clear' }));
    await waitFor(() => expect(api.listAuditEvents).toHaveBeenCalledTimes(3));
    expect(screen.getByRole('status', { name: 'search' })).toHaveTextContent(
      /^$/,
    );
    expect(screen.getByLabelText('Entity')).toHaveValue('');
  });

  it('loads older events with the cursor until there are no more', async () => {
    const api = mockApi([
      { items: [event('e1'), event('e2')], nextCursor: 'cursor-2' },
      { items: [event('e3')], nextCursor: null },
    ]);
    await render(api, '?costCenter=CC-1001');

    await userEvent.click(
      await screen.findByRole('button', { name: 'Load more' }),
    );
    expect(await screen.findByText('replicas 2 → 3 (e3)')).toBeInTheDocument();
    expect(screen.getByText('replicas 2 → 3 (e1)')).toBeInTheDocument();
    expect(api.listAuditEvents).toHaveBeenLastCalledWith(
      expect.objectContaining({ costCenter: 'CC-1001' }),
      { cursor: 'cursor-2', limit: 50 },
    );
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
  });

  it('downloads the CSV of the filtered view through the API', async () => {
    const createObjectURL = jest.fn((_: Blob) => 'blob:audit');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const downloads: string[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function record(this: HTMLAnchorElement) {
        downloads.push(`${this.download} ${this.href}`);
      });
    try {
      const api = mockApi([{ items: [event('e1')], nextCursor: null }]);
      await render(api, '?outcome=failed&to=2026-11-30');
      await userEvent.click(
        await screen.findByRole('button', { name: /Export CSV/ }),
      );

      await waitFor(() => expect(downloads).toHaveLength(1));
      expect(api.exportAuditEvents).toHaveBeenCalledWith({
        outcome: 'failed',
        to: endOf('2026-11-30'),
      });
      expect(await createObjectURL.mock.calls[0][0].text()).toBe('id\n');
      expect(downloads[0]).toMatch(
        /^audit-trail-\d{4}-\d{2}-\d{2}\.csv blob:audit$/,
      );
    } finally {
      click.mockRestore();
    }
  });

  it('says why the export failed', async () => {
    const api = mockApi([{ items: [event('e1')], nextCursor: null }]);
    api.exportAuditEvents.mockImplementation(async () => {
      throw await forbidden('You are not allowed to export the audit trail');
    });
    await render(api);
    await userEvent.click(
      await screen.findByRole('button', { name: /Export CSV/ }),
    );
    expect(
      await screen.findByText(/The export failed: .*not allowed to export/),
    ).toBeInTheDocument();
    // The list stays.
    expect(screen.getByRole('table', { name: 'Audit events' })).toBeVisible();
  });

  it('shows why the events could not be loaded', async () => {
    const api = mockApi([]);
    api.listAuditEvents.mockImplementation(async () => {
      throw await forbidden('Not allowed to read the audit trail');
    });
    await render(api);
    expect(
      (await screen.findAllByText(/Not allowed to read the audit trail/))
        .length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
