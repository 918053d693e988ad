import { ResponseError } from '@backstage/errors';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { HygieneReport } from '@paved-road/plugin-paved-road-common';
import { screen, within } from '@testing-library/react';
import { PavedRoadApi, pavedRoadApiRef } from '../../api/PavedRoadApi';
import { HygienePage } from './HygienePage';

const REPORT: HygieneReport = {
  groups: [
    {
      businessUnit: 'group:default/payments',
      items: [
        {
          entityRef: 'component:default/legacy-billing',
          title: 'Legacy Billing',
          owner: 'group:default/checkout',
          costCenter: 'CC-2001',
          problems: [
            {
              code: 'cost-center-not-in-business-unit',
              message:
                'metadata.annotations.paved-road.io/cost-center: Cost center CC-2001 does not belong to business unit group:default/payments (valid: CC-1001, CC-1002)',
            },
          ],
          updatedAt: '2026-11-22T10:00:00.000Z',
          inCatalog: true,
          source: null,
        },
      ],
    },
    {
      businessUnit: null,
      items: [
        {
          entityRef: 'component:default/stray',
          title: 'stray',
          owner: null,
          costCenter: null,
          problems: [
            {
              code: 'missing-owner',
              message: 'spec.owner: no owner is set',
            },
          ],
          updatedAt: '2026-11-22T10:00:00.000Z',
          inCatalog: true,
          source: null,
        },
      ],
    },
  ],
};

async function render(getHygiene: PavedRoadApi['getHygiene']) {
  const api: PavedRoadApi = {
    getHygiene: jest.fn(getHygiene),
    listAuditEvents: jest.fn(),
    exportAuditEvents: jest.fn(),
    getProject: jest.fn(),
  };
  await renderInTestApp(
    <TestApiProvider apis={[[pavedRoadApiRef, api]]}>
      <HygienePage />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return api;
}

describe('HygienePage', () => {
  it('names an entity that never processed cleanly without a link, with where it is defined', async () => {
    const [payments] = REPORT.groups;
    await render(async () => ({
      groups: [
        {
          ...payments,
          items: [
            {
              ...payments.items[0],
              inCatalog: false,
              source: 'url:https://git.example/billing/catalog-info.yaml',
            },
          ],
        },
      ],
    }));

    const table = await screen.findByRole('table', {
      name: 'Hygiene problems in group:default/payments',
    });
    expect(within(table).getByText('Legacy Billing')).toBeInTheDocument();
    expect(within(table).queryAllByRole('link')).toEqual([]);
    expect(
      within(table).getByText(
        'Not in the catalog: it has never processed cleanly (defined in url:https://git.example/billing/catalog-info.yaml)',
      ),
    ).toBeInTheDocument();
    expect(
      within(table).getByText(/does not belong to business unit/),
    ).toBeInTheDocument();
  });

  it('lists problems per business unit and links each entity', async () => {
    await render(async () => REPORT);

    const payments = await screen.findByRole('table', {
      name: 'Hygiene problems in group:default/payments',
    });
    const link = within(payments).getByRole('link', { name: 'Legacy Billing' });
    expect(link).toHaveAttribute(
      'href',
      '/catalog/default/component/legacy-billing',
    );
    expect(within(payments).getByText('CC-2001')).toBeInTheDocument();
    expect(
      within(payments).getByText(/does not belong to business unit/),
    ).toHaveAttribute('data-problem-code', 'cost-center-not-in-business-unit');
    expect(within(payments).queryByText('stray')).not.toBeInTheDocument();
    // The business unit heading links to the Group.
    expect(screen.getByRole('link', { name: 'payments' })).toHaveAttribute(
      'href',
      '/catalog/default/group/payments',
    );
    expect(screen.getAllByText('1 entity to fix')).toHaveLength(2);

    const none = screen.getByRole('table', {
      name: 'Hygiene problems without a business unit',
    });
    expect(
      within(none).getByRole('link', { name: 'stray' }),
    ).toBeInTheDocument();
    expect(
      within(none).getByText('spec.owner: no owner is set'),
    ).toBeInTheDocument();
    expect(screen.getByText('No business unit')).toBeInTheDocument();
  });

  it('shows an invalid deployment descriptor as one more problem of the entity', async () => {
    const [payments] = REPORT.groups;
    const message =
      'deploy/paved-road.yaml at 1a2b3c4d5e6f: spec.replicas: Too small: expected number to be >=1';
    await render(async () => ({
      groups: [
        {
          ...payments,
          items: [
            {
              ...payments.items[0],
              problems: [
                ...payments.items[0].problems,
                {
                  code: 'invalid-deployment-settings',
                  message,
                  commitSha: `1a2b3c4d5e6f${'0'.repeat(28)}`,
                  detectedAt: '2026-11-30T08:00:00.000Z',
                },
              ],
            },
          ],
        },
      ],
    }));

    const table = await screen.findByRole('table', {
      name: 'Hygiene problems in group:default/payments',
    });
    expect(within(table).getByText(message)).toHaveAttribute(
      'data-problem-code',
      'invalid-deployment-settings',
    );
    expect(
      within(table).getByText(/does not belong to business unit/),
    ).toBeInTheDocument();
  });

  it('marks a problem of warn enforcement as a warning', async () => {
    const [payments, none] = REPORT.groups;
    await render(async () => ({
      groups: [
        payments,
        {
          ...none,
          items: [
            {
              ...none.items[0],
              problems: [{ ...none.items[0].problems[0], severity: 'warning' }],
            },
          ],
        },
      ],
    }));
    const warned = await screen.findByRole('table', {
      name: 'Hygiene problems without a business unit',
    });
    expect(within(warned).getByText('Warning')).toBeInTheDocument();
    expect(
      within(warned).getByText('spec.owner: no owner is set'),
    ).toHaveAttribute('data-severity', 'warning');
    // Errors carry no chip
    const errors = screen.getByRole('table', {
      name: 'Hygiene problems in group:default/payments',
    });
    expect(within(errors).queryByText('Warning')).not.toBeInTheDocument();
  });

  it('says so when there is nothing to fix', async () => {
    await render(async () => ({ groups: [] }));
    expect(await screen.findByText('No hygiene problems')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows why the list could not be loaded', async () => {
    await render(async () => {
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'NotAllowedError', message: 'Not allowed' },
            response: { statusCode: 403 },
          }),
          { status: 403, headers: { 'content-type': 'application/json' } },
        ),
      );
    });
    expect((await screen.findAllByText(/Not allowed/)).length).toBeGreaterThan(
      0,
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });
});
