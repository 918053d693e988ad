import { screen, within } from '@testing-library/react';
import {
  mockDeploymentsApi,
  ordersEntity,
  ordersRef,
  settingsVersion,
} from '../../__testUtils__/fixtures';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import { formatDateTime } from '../../lib/format';
import { SettingsHistoryCard } from './SettingsHistoryCard';

const versions = [
  settingsVersion(3, {
    settings: { replicas: 4, memoryMiB: 1024 },
    createdBy: 'user:default/bob',
    createdAt: '2026-01-07T09:30:00.000Z',
    source: 'repository',
    commitSha: 'cccccccccccccccc',
    commitUrl: 'https://github.com/acme/orders-service/commit/ccccccc',
    message: 'Merged #12: more capacity',
  }),
  settingsVersion(2, {
    settings: { replicas: 4 },
    source: 'portal',
    commitSha: 'bbbbbbbbbbbbbbbb',
    message: 'Peak season',
  }),
  settingsVersion(1, {
    source: 'template',
    commitSha: 'aaaaaaaaaaaaaaaa',
    message: 'Initial commit',
  }),
];

async function renderHistory() {
  const api = mockDeploymentsApi({
    listSettingsVersions: jest.fn().mockResolvedValue(versions),
  });
  await renderForEntity(
    <SettingsHistoryCard entityRef={ordersRef} currentVersion={3} />,
    { entity: ordersEntity, api },
  );
  const table = await screen.findByRole('table', { name: 'Settings history' });
  const rows = within(table).getAllByRole('row').slice(1);
  return { api, rows };
}

describe('SettingsHistoryCard', () => {
  it('lists every version with author, time, source, reason and commit', async () => {
    const { api, rows } = await renderHistory();

    expect(api.listSettingsVersions).toHaveBeenCalledWith(ordersRef);
    expect(rows.map(r => r.getAttribute('data-version'))).toEqual([
      '3',
      '2',
      '1',
    ]);
    const [latest, middle, first] = rows;
    expect(within(latest).getByRole('link', { name: /bob/ })).toHaveAttribute(
      'href',
      '/catalog/default/user/bob',
    );
    expect(latest).toHaveTextContent(
      formatDateTime('2026-01-07T09:30:00.000Z'),
    );
    expect(latest).toHaveTextContent('Repository');
    expect(latest).toHaveTextContent('Merged #12: more capacity');
    expect(
      within(latest).getByRole('link', { name: /ccccccc/ }),
    ).toHaveAttribute(
      'href',
      'https://github.com/acme/orders-service/commit/ccccccc',
    );
    expect(middle).toHaveTextContent('Portal');
    expect(middle).toHaveTextContent('bbbbbbb');
    expect(first).toHaveTextContent('Template');
  });

  it('shows what each version changed from the one before', async () => {
    const { rows } = await renderHistory();
    const [latest, middle, first] = rows;

    expect(
      within(latest)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual(['Memory: 512 MiB → 1024 MiB']);
    expect(
      within(middle)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual(['Replicas: 2 → 4']);
    expect(first).toHaveTextContent('Initial settings');
  });
});
