import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TemplateUpgradeCard } from './TemplateUpgradeCard';
import {
  availableInfo,
  cleanJob,
  mockUpgradesApi,
  ordersEntity,
  renderWithUpgrades,
  responseError,
  upgradeJob,
} from './__testUtils__/upgrades';

const orders = { kind: 'Component', namespace: 'default', name: 'orders-api' };

function renderCard(
  api = mockUpgradesApi(),
  authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
) {
  return renderWithUpgrades(<TemplateUpgradeCard />, {
    api,
    entity: ordersEntity,
    authorize,
  });
}

describe('TemplateUpgradeCard', () => {
  it('says the project is up to date and offers no upgrade', async () => {
    const api = mockUpgradesApi({
      getProjectUpgrade: jest.fn().mockResolvedValue(
        availableInfo({
          currentVersion: '1.1.0',
          available: false,
          reason: 'up-to-date',
          changelog: [],
          newAnswers: {},
        }),
      ),
    });
    await renderCard(api);

    expect(
      await screen.findByText(
        'Template kotlin-spring-service · 1.1.0 · Up to date.',
      ),
    ).toBeInTheDocument();
    expect(api.getProjectUpgrade).toHaveBeenCalledWith(orders);
    expect(screen.queryByRole('button', { name: /upgrade/i })).toBeNull();
  });

  it('shows the newer version, its changelog and the new answers, upgrades, and follows the job to a clean branch', async () => {
    const api = mockUpgradesApi({
      upgradeProject: jest
        .fn()
        .mockResolvedValue({ job: upgradeJob(), created: true }),
      getUpgrade: jest.fn().mockResolvedValue(cleanJob()),
    });
    await renderCard(api);

    expect(
      await screen.findByText(/Template kotlin-spring-service · 1\.0\.0/),
    ).toHaveTextContent(
      'Template kotlin-spring-service · 1.0.0 · 1.1.0 available',
    );
    expect(
      screen.getByText(/a runbook for the on-call team/),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'New answers' })).getByRole(
        'listitem',
      ),
    ).toHaveTextContent('observability.tracing: true');

    await userEvent.click(
      await screen.findByRole('button', { name: 'Upgrade to 1.1.0' }),
    );

    expect(api.upgradeProject).toHaveBeenCalledWith(orders, {
      toVersion: '1.1.0',
    });
    expect(
      await screen.findByText('Upgrade to 1.1.0 queued…'),
    ).toBeInTheDocument();
    // Polled every 2 s until it finished.
    expect(
      await screen.findByText(
        'Upgraded to 1.1.0: a clean merge on the branch paved-road/upgrade-1.1.0.',
      ),
    ).toBeInTheDocument();
    expect(api.getUpgrade).toHaveBeenCalledWith(upgradeJob().id);
    expect(
      screen.getByText(
        'git clone -b paved-road/upgrade-1.1.0 http://localhost:7007/api/local-git/orders-api.git',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Changed files' }))
        .getAllByRole('listitem')
        .map(item => item.textContent),
    ).toEqual(['M .paved-road/answers.yaml', 'A docs/runbook.md']);
    expect(
      screen.queryByRole('button', { name: 'Upgrade to 1.1.0' }),
    ).toBeNull();
  });

  it('asks for the answers the new version needs and sends them typed', async () => {
    const api = mockUpgradesApi({
      getProjectUpgrade: jest.fn().mockResolvedValue(
        availableInfo({
          missingAnswers: [
            { name: 'team.slack', title: 'Slack channel', type: 'string' },
            { name: 'replicas', title: 'Replicas', type: 'integer' },
          ],
        }),
      ),
      upgradeProject: jest
        .fn()
        .mockResolvedValue({ job: upgradeJob(), created: true }),
      getUpgrade: jest.fn().mockResolvedValue(upgradeJob()),
    });
    await renderCard(api);

    const upgrade = await screen.findByRole('button', {
      name: 'Upgrade to 1.1.0',
    });
    expect(upgrade).toBeDisabled();
    await userEvent.type(
      screen.getByRole('textbox', { name: /Slack channel/ }),
      '#orders',
    );
    expect(upgrade).toBeDisabled();
    await userEvent.type(
      screen.getByRole('spinbutton', { name: /Replicas/ }),
      '3',
    );
    expect(upgrade).toBeEnabled();
    await userEvent.click(upgrade);

    expect(api.upgradeProject).toHaveBeenCalledWith(orders, {
      toVersion: '1.1.0',
      answers: { team: { slack: '#orders' }, replicas: 3 },
    });
  });

  it('does not let another team upgrade', async () => {
    const api = mockUpgradesApi();
    await renderCard(api, AuthorizeResult.DENY);

    expect(
      await screen.findByText(
        'Only the team that owns this project and platform engineers may upgrade it.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Upgrade to 1.1.0' }),
    ).toBeDisabled();
  });

  it("shows the backend's refusal, e.g. a newer version published meanwhile", async () => {
    const api = mockUpgradesApi({
      upgradeProject: jest
        .fn()
        .mockRejectedValue(
          await responseError(
            409,
            'ConflictError',
            'toVersion 1.1.0 is not the latest version of template:default/kotlin-spring-service (1.2.0); reload and try again',
          ),
        ),
    });
    await renderCard(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Upgrade to 1.1.0' }),
    );

    expect(
      await screen.findByText(
        /is not the latest version .* reload and try again/,
      ),
    ).toBeInTheDocument();
  });

  it('follows a running upgrade and lists its conflicts as chips, with the pull request', async () => {
    const api = mockUpgradesApi({
      getProjectUpgrade: jest
        .fn()
        .mockResolvedValue(
          availableInfo({ job: upgradeJob({ status: 'running' }) }),
        ),
      getUpgrade: jest.fn().mockResolvedValue(
        cleanJob({
          outcome: 'conflicts',
          result: {
            ...cleanJob().result!,
            pullRequestUrl: 'https://github.com/acme/orders-api/pull/7',
            conflicts: [
              {
                path: 'README.md',
                type: 'content',
                message: 'Merge conflict in README.md',
              },
              {
                path: 'pom.xml',
                type: 'content',
                message: 'Merge conflict in pom.xml',
              },
            ],
          },
        }),
      ),
    });
    await renderCard(api);

    expect(
      await screen.findByText('Upgrade to 1.1.0 running…'),
    ).toBeInTheDocument();
    // The upgrade was asked for already: no second one.
    expect(
      screen.queryByRole('button', { name: 'Upgrade to 1.1.0' }),
    ).toBeNull();

    expect(
      await screen.findByText(
        'Upgraded to 1.1.0 with conflicts in 2 files: resolve them on the branch paved-road/upgrade-1.1.0 before merging.',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('list', { name: 'Conflicts' }))
        .getAllByRole('listitem')
        .map(chip => chip.textContent),
    ).toEqual(['README.md (content)', 'pom.xml (content)']);
    expect(
      screen.getByRole('link', { name: /Open the pull request/ }),
    ).toHaveAttribute('href', 'https://github.com/acme/orders-api/pull/7');
  });
});
