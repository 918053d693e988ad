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

  it('asks again for a stored answer the new version no longer offers, from its options', async () => {
    const api = mockUpgradesApi({
      getProjectUpgrade: jest.fn().mockResolvedValue(
        availableInfo({
          missingAnswers: [
            {
              name: 'javaVersion',
              title: 'Java version',
              type: 'string',
              enum: ['17', '25'],
              problem: 'the stored answer "21" is not one of "17", "25"',
            },
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
    expect(
      screen.getByText(/the stored answer "21" is not one of "17", "25"/),
    ).toBeInTheDocument();
    expect(upgrade).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: /Java version/ }));
    await userEvent.click(await screen.findByRole('option', { name: '25' }));
    expect(upgrade).toBeEnabled();
    await userEvent.click(upgrade);

    expect(api.upgradeProject).toHaveBeenCalledWith(orders, {
      toVersion: '1.1.0',
      answers: { javaVersion: '25' },
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

  it('shows the patch of an upgrade on a host without a compare page, on demand', async () => {
    const patch = [
      'diff --git a/SECURITY.md b/SECURITY.md',
      '--- /dev/null',
      '+++ b/SECURITY.md',
      '@@ -0,0 +1 @@',
      '+# Security policy of orders-api',
    ].join('\n');
    const api = mockUpgradesApi({
      getProjectUpgrade: jest
        .fn()
        .mockResolvedValue(availableInfo({ job: cleanJob() })),
      getUpgradeDiff: jest.fn().mockResolvedValue({
        base: 'a'.repeat(40),
        head: 'b'.repeat(40),
        patch,
        truncated: false,
      }),
    });
    await renderCard(api);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Show the changes' }),
    );

    expect(api.getUpgradeDiff).toHaveBeenCalledWith(cleanJob().id);
    const changes = await screen.findByLabelText('Changes');
    expect(changes).toHaveTextContent('+# Security policy of orders-api');
    expect(
      screen.getByText(/Changes from aaaaaaaaaaaa to bbbbbbbbbbbb/),
    ).toBeInTheDocument();
  });

  describe('merging a clean upgrade (hosts without pull requests)', () => {
    const mergedAt = '2026-12-07T18:30:00.000Z';

    it('merges it into the default branch, says who did and when, and that the catalog follows', async () => {
      const api = mockUpgradesApi({
        getProjectUpgrade: jest
          .fn()
          .mockResolvedValue(availableInfo({ job: cleanJob() })),
        mergeUpgrade: jest
          .fn()
          .mockResolvedValue(
            cleanJob({ mergedAt, mergedBy: 'user:default/guest' }),
          ),
      });
      await renderCard(api);

      await userEvent.click(
        await screen.findByRole('button', {
          name: 'Merge into the default branch',
        }),
      );

      expect(api.mergeUpgrade).toHaveBeenCalledWith(cleanJob().id);
      expect(
        await screen.findByText(/^Merged into the default branch by/),
      ).toHaveTextContent(
        `Merged into the default branch by guest at ${new Date(
          mergedAt,
        ).toLocaleString()}.`,
      );
      expect(
        screen.getByText(/The catalog picks up version 1\.1\.0/),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Merge into the default branch' }),
      ).toBeNull();
    });

    it("shows the backend's refusal and keeps the button", async () => {
      const api = mockUpgradesApi({
        getProjectUpgrade: jest
          .fn()
          .mockResolvedValue(availableInfo({ job: cleanJob() })),
        mergeUpgrade: jest
          .fn()
          .mockRejectedValue(
            await responseError(
              409,
              'ConflictError',
              'main has moved since the upgrade was made: merge paved-road/upgrade-1.1.0 in a clone instead',
            ),
          ),
      });
      await renderCard(api);

      const merge = await screen.findByRole('button', {
        name: 'Merge into the default branch',
      });
      await userEvent.click(merge);

      expect(
        await screen.findByText(
          'main has moved since the upgrade was made: merge paved-road/upgrade-1.1.0 in a clone instead',
        ),
      ).toBeInTheDocument();
      expect(screen.queryByText(/^Merged into/)).toBeNull();
      expect(merge).toBeEnabled();
    });

    it('does not let another team merge', async () => {
      const api = mockUpgradesApi({
        getProjectUpgrade: jest
          .fn()
          .mockResolvedValue(availableInfo({ job: cleanJob() })),
      });
      await renderCard(api, AuthorizeResult.DENY);

      expect(
        await screen.findByRole('button', {
          name: 'Merge into the default branch',
        }),
      ).toBeDisabled();
      expect(
        screen.getByText(
          'Only the team that owns this project and platform engineers may merge it.',
        ),
      ).toBeInTheDocument();
    });

    it.each([
      [
        'an upgrade with conflicts',
        cleanJob({
          outcome: 'conflicts',
          result: {
            ...cleanJob().result!,
            conflicts: [
              {
                path: 'pom.xml',
                type: 'content',
                message: 'Merge conflict in pom.xml',
              },
            ],
          },
        }),
      ],
      [
        'a pull request',
        cleanJob({
          result: {
            ...cleanJob().result!,
            pullRequestUrl: 'https://github.com/acme/orders-api/pull/7',
          },
        }),
      ],
      [
        'an upgrade merged already',
        cleanJob({ mergedAt, mergedBy: 'user:default/guest' }),
      ],
    ])('offers no merge for %s', async (_, job) => {
      const api = mockUpgradesApi({
        getProjectUpgrade: jest.fn().mockResolvedValue(availableInfo({ job })),
      });
      await renderCard(api);

      expect(
        await screen.findByText(/^Last upgrade to 1\.1\.0/),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', { name: 'Merge into the default branch' }),
      ).toBeNull();
    });
  });
});
