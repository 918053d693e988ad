import type { Entity } from '@backstage/catalog-model';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  TemplateFleet,
  UpgradeBatch,
} from '@paved-road/plugin-templates-common';
import { TemplateFleetPage } from './TemplateFleetPage';
import {
  cleanJob,
  KOTLIN_REF,
  mockUpgradesApi,
  ORDERS_REF,
  renderWithUpgrades,
  upgradeJob,
} from '../TemplateUpgradeCard/__testUtils__/upgrades';

const BILLING_REF = 'component:default/billing-api';
const TRACKER_REF = 'component:default/fleet-tracker';

function template(name: string, title: string): Entity {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name, namespace: 'default', title },
    spec: {},
  };
}

const templates = [
  template('kotlin-spring-service', 'Kotlin Spring Boot service'),
  template('kotlin-library', 'Kotlin library'),
];

const fleet: TemplateFleet = {
  templateRef: KOTLIN_REF,
  latestVersion: '1.1.0',
  versions: [
    { version: '1.0.0', count: 2 },
    { version: '1.1.0', count: 1 },
  ],
  projects: [
    {
      entityRef: BILLING_REF,
      owner: 'group:default/fleet',
      version: '1.0.0',
      available: true,
    },
    {
      entityRef: ORDERS_REF,
      owner: 'group:default/checkout',
      version: '1.0.0',
      available: true,
    },
    {
      entityRef: TRACKER_REF,
      owner: 'group:default/fleet',
      version: '1.1.0',
      available: false,
      job: cleanJob({ entityRef: TRACKER_REF }),
    },
  ],
};

describe('TemplateFleetPage', () => {
  it('shows the versions and the projects of the chosen template, upgrades the selected ones and reports each outcome and the skipped', async () => {
    const queued: UpgradeBatch = {
      id: '0d4b8a51-5d2e-4bb1-9a39-1f0f1f6c9c11',
      templateRef: KOTLIN_REF,
      toVersion: '1.1.0',
      requestedBy: 'user:default/guest',
      createdAt: '2026-12-07T18:30:00.000Z',
      jobs: [upgradeJob()],
      skipped: [{ entityRef: BILLING_REF, reason: 'not allowed' }],
    };
    const api = mockUpgradesApi({
      getTemplateFleet: jest.fn().mockResolvedValue(fleet),
      upgradeFleet: jest.fn().mockResolvedValue(queued),
      getBatch: jest.fn().mockResolvedValue({
        ...queued,
        jobs: [
          cleanJob({
            outcome: 'conflicts',
            result: {
              ...cleanJob().result!,
              conflicts: [
                { path: 'README.md', type: 'content', message: 'conflict' },
              ],
            },
          }),
        ],
      }),
    });
    await renderWithUpgrades(<TemplateFleetPage />, {
      api,
      catalogEntities: templates,
      routeEntries: ['/?template=default/kotlin-spring-service'],
    });

    const table = await screen.findByRole('table', { name: 'Projects' });
    expect(api.getTemplateFleet).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'kotlin-spring-service',
    });
    expect(
      within(screen.getByRole('list', { name: 'Versions' }))
        .getAllByRole('listitem')
        .map(chip => chip.textContent),
    ).toEqual(['1.0.0: 2', '1.1.0: 1']);
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map(row => row.textContent)).toEqual([
      'billing-apifleet1.0.01.1.0—',
      'orders-apicheckout1.0.01.1.0—',
      'fleet-trackerfleet1.1.0—1.1.0: succeeded, clean merge · paved-road/upgrade-1.1.0',
    ]);
    // Only out-of-date projects can be picked.
    expect(
      screen.getByRole('checkbox', { name: `Select ${TRACKER_REF}` }),
    ).toBeDisabled();

    const upgrade = screen.getByRole('button', {
      name: 'Upgrade selected (0)',
    });
    expect(upgrade).toBeDisabled();
    await userEvent.click(
      screen.getByRole('checkbox', { name: `Select ${BILLING_REF}` }),
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: `Select ${ORDERS_REF}` }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Upgrade selected (2)' }),
    );

    expect(api.upgradeFleet).toHaveBeenCalledWith(
      { namespace: 'default', name: 'kotlin-spring-service' },
      { toVersion: '1.1.0', entityRefs: [BILLING_REF, ORDERS_REF] },
    );
    expect(
      await screen.findByText('Upgrading 1 project to 1.1.0…'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Skipped' })).getByRole(
        'listitem',
      ),
    ).toHaveTextContent(`${BILLING_REF}: not allowed`);

    // Polled every 2 s until every job finished.
    expect(
      await screen.findByText('Batch finished: 1 upgraded to 1.1.0, 0 failed.'),
    ).toBeInTheDocument();
    expect(api.getBatch).toHaveBeenCalledWith(queued.id);
    expect(
      within(table).getByRole('row', { name: /orders-api/ }),
    ).toHaveTextContent(
      '1.1.0: succeeded, conflicts in 1 file · paved-road/upgrade-1.1.0',
    );
  });

  it('opens the first template by title when the address names none', async () => {
    const api = mockUpgradesApi({
      getTemplateFleet: jest.fn().mockResolvedValue({
        templateRef: 'template:default/kotlin-library',
        latestVersion: '1.0.0',
        versions: [],
        projects: [],
      }),
    });
    await renderWithUpgrades(<TemplateFleetPage />, {
      api,
      catalogEntities: templates,
    });

    expect(
      await screen.findByRole('table', { name: 'Projects' }),
    ).toBeInTheDocument();
    expect(api.getTemplateFleet).toHaveBeenCalledWith({
      namespace: 'default',
      name: 'kotlin-library',
    });
  });
});
