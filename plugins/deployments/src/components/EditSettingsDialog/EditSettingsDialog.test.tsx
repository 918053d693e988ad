import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockDeploymentsApi,
  ordersEntity,
  ordersRef,
  settingsVersion,
} from '../../__testUtils__/fixtures';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import { responseError } from '../../__testUtils__/responseError';
import { EditSettingsDialog } from './EditSettingsDialog';
import type { DeploymentsApi } from '../../api/DeploymentsApi';

const current = settingsVersion(2);

async function renderDialog(api: DeploymentsApi) {
  const onChanged = jest.fn();
  const onClose = jest.fn();
  await renderForEntity(
    <EditSettingsDialog
      entityRef={ordersRef}
      current={current}
      onClose={onClose}
      onChanged={onChanged}
    />,
    { entity: ordersEntity, api },
  );
  await screen.findByRole('dialog', { name: 'Edit deployment settings' });
  return { onChanged, onClose };
}

async function setNumber(label: string, value: string) {
  const input = screen.getByLabelText(label);
  await userEvent.clear(input);
  if (value) {
    await userEvent.type(input, value);
  }
}

async function reviewMemoryChange() {
  await setNumber('Memory', '1024');
  await userEvent.click(screen.getByRole('button', { name: 'Review changes' }));
  await screen.findByRole('table', { name: 'Changed settings' });
}

describe('EditSettingsDialog', () => {
  it('has an input for every setting, filled with the current values', async () => {
    await renderDialog(mockDeploymentsApi());

    expect(screen.getByLabelText('Cluster')).toHaveValue('local');
    expect(screen.getByLabelText('Replicas')).toHaveValue(2);
    expect(screen.getByLabelText('CPU')).toHaveValue(500);
    expect(screen.getByLabelText('Memory')).toHaveValue(512);
    expect(screen.getByLabelText('Region 1')).toHaveValue('eu-west-1');
    expect(screen.getByLabelText('Rollout strategy')).toHaveValue('canary');
    expect(screen.getByLabelText('Canary share')).toHaveValue(10);
    expect(screen.getByLabelText('Health check path')).toHaveValue(
      '/actuator/health',
    );
    // Bounds come from the schema.
    expect(screen.getByLabelText('Replicas')).toHaveAttribute('max', '50');
    expect(screen.getByLabelText('Replicas')).toHaveAccessibleDescription(
      '1–50',
    );
  });

  it('validates with the schema, naming the field', async () => {
    await renderDialog(mockDeploymentsApi());

    await setNumber('Replicas', '0');

    const replicas = screen.getByLabelText('Replicas');
    expect(replicas).toHaveAttribute('aria-invalid', 'true');
    expect(replicas).toHaveAccessibleDescription(/expected number to be >=1/);
    expect(screen.getByText('Fix Replicas')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Review changes' }),
    ).toBeDisabled();

    await userEvent.clear(screen.getByLabelText('Region 1'));
    await userEvent.type(screen.getByLabelText('Region 1'), 'moon');
    expect(screen.getByLabelText('Region 1')).toHaveAccessibleDescription(
      'region like eu-west-1',
    );
    expect(screen.getByText('Fix Replicas, Regions')).toBeInTheDocument();
  });

  it('allows as many regions as the schema does', async () => {
    await renderDialog(mockDeploymentsApi());
    const add = screen.getByRole('button', { name: 'Add region' });

    for (let i = 2; i <= 6; i++) {
      await userEvent.click(add);
      await userEvent.type(screen.getByLabelText(`Region ${i}`), 'eu-west-1');
    }

    expect(add).toBeDisabled();
    expect(screen.getByText('At most 6 regions')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Remove region 1' }),
    ).toBeEnabled();
  });

  it('shows the canary share only for canary rollouts', async () => {
    await renderDialog(mockDeploymentsApi());

    await userEvent.selectOptions(
      screen.getByLabelText('Rollout strategy'),
      'rolling',
    );

    expect(screen.queryByLabelText('Canary share')).not.toBeInTheDocument();
    expect(
      within(screen.getByLabelText('Rollout strategy')).getAllByRole('option'),
    ).toHaveLength(3);
  });

  it('shows the diff and asks why before saving, then links the commit', async () => {
    const api = mockDeploymentsApi({
      updateSettings: jest.fn().mockResolvedValue({
        mode: 'commit',
        version: settingsVersion(3, {
          settings: { memoryMiB: 1024 },
          commitSha: 'abcdef1234567890',
          commitUrl: 'https://github.com/acme/orders-service/commit/abcdef1',
        }),
      }),
    });
    const { onChanged } = await renderDialog(api);

    await reviewMemoryChange();

    const diff = screen.getByRole('table', { name: 'Changed settings' });
    const rows = within(diff).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('Memory512 MiB1024 MiB');
    const save = screen.getByRole('button', { name: 'Save' });
    expect(save).toBeDisabled();
    expect(api.updateSettings).not.toHaveBeenCalled();

    await userEvent.type(screen.getByLabelText(/Why/), 'Peak season');
    await userEvent.click(save);

    expect(await screen.findByText(/Saved as version 3/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /abcdef1/ })).toHaveAttribute(
      'href',
      'https://github.com/acme/orders-service/commit/abcdef1',
    );
    expect(api.updateSettings).toHaveBeenCalledWith(ordersRef, {
      settings: { ...current.settings, memoryMiB: 1024 },
      baseVersion: 2,
      message: 'Peak season',
    });
    expect(onChanged).toHaveBeenCalled();
  });

  it('links the pull request when the backend opens one', async () => {
    const api = mockDeploymentsApi({
      updateSettings: jest.fn().mockResolvedValue({
        mode: 'pull-request',
        pullRequestUrl: 'https://github.com/acme/orders-service/pull/7',
        baseVersion: 2,
      }),
    });
    await renderDialog(api);

    await reviewMemoryChange();
    await userEvent.type(screen.getByLabelText(/Why/), 'Peak season');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(
      await screen.findByRole('link', {
        name: /github\.com\/acme\/orders-service\/pull\/7/,
      }),
    ).toBeInTheDocument();
    expect(screen.getByText(/once it is merged/)).toBeInTheDocument();
  });

  it('says someone changed the settings meanwhile on 409, and reloads keeping the edits', async () => {
    const api = mockDeploymentsApi({
      updateSettings: jest
        .fn()
        .mockRejectedValue(
          await responseError(409, 'ConflictError', 'Version 2 is stale'),
        ),
      getLatestSettings: jest
        .fn()
        .mockResolvedValue(
          settingsVersion(3, { createdBy: 'user:default/carol' }),
        ),
    });
    const { onChanged } = await renderDialog(api);

    await reviewMemoryChange();
    await userEvent.type(screen.getByLabelText(/Why/), 'Peak season');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    const alert = await screen.findByText(
      'Someone changed the settings meanwhile',
    );
    expect(alert.parentElement).toHaveTextContent(
      /Version 3 was saved by carol/,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Reload' }));

    expect(onChanged).toHaveBeenCalledTimes(1);
    expect(
      await screen.findByText(/Reloaded version 3. Your edits are kept/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Memory')).toHaveValue(1024);
  });

  it('shows the backend message when it refuses the change', async () => {
    const api = mockDeploymentsApi({
      updateSettings: jest
        .fn()
        .mockRejectedValue(
          await responseError(
            400,
            'InputError',
            'settings.cluster: cluster must be a lowercase name',
          ),
        ),
    });
    await renderDialog(api);

    await reviewMemoryChange();
    await userEvent.type(screen.getByLabelText(/Why/), 'Peak season');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'settings.cluster: cluster must be a lowercase name',
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Save' })).toBeEnabled(),
    );
  });

  it('shows what the change does to the estimated monthly cost before saving', async () => {
    const euros = (amount: number) =>
      new Intl.NumberFormat(undefined, {
        style: 'currency',
        currency: 'EUR',
      }).format(amount);
    // 32.40 per 512 MiB, as if memory were all that cost
    const estimateMonthlyCost = jest.fn(
      async (settings: { memoryMiB: number }) => ({
        currency: 'EUR',
        monthlyTotal: (settings.memoryMiB / 512) * 32.4,
      }),
    );
    await renderDialog(mockDeploymentsApi({ estimateMonthlyCost }));

    await reviewMemoryChange();

    expect(await screen.findByLabelText('Estimated cost')).toHaveTextContent(
      `Estimated cost ${euros(32.4)} → ${euros(64.8)} per month (+${euros(
        32.4,
      )})`,
    );
    expect(estimateMonthlyCost).toHaveBeenCalledWith(current.settings);
    expect(estimateMonthlyCost).toHaveBeenCalledWith({
      ...current.settings,
      memoryMiB: 1024,
    });
  });

  it('shows no estimate when the app has no costs backend', async () => {
    const estimateMonthlyCost = jest.fn().mockResolvedValue(undefined);
    await renderDialog(mockDeploymentsApi({ estimateMonthlyCost }));

    await reviewMemoryChange();

    await waitFor(() => expect(estimateMonthlyCost).toHaveBeenCalledTimes(2));
    expect(screen.queryByLabelText('Estimated cost')).not.toBeInTheDocument();
    expect(screen.queryByText(/No cost estimate/)).not.toBeInTheDocument();
  });
});
