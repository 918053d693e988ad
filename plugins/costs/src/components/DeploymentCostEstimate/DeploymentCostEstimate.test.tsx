import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import {
  estimateOf,
  responseError,
  SETTINGS,
} from '../../__testUtils__/fixtures';
import { costsApiRef, type CostsApi } from '../../api/CostsApi';
import { formatMoney } from '../../lib/format';
import { DeploymentCostEstimate } from './DeploymentCostEstimate';
import type { DeploymentCostEstimateUiOptions } from './schema';

type Props = FieldExtensionComponentProps<
  null,
  DeploymentCostEstimateUiOptions
>;

function fieldProps(formData: unknown, overrides: Partial<Props> = {}): Props {
  return {
    formData: null,
    onChange: jest.fn(),
    schema: { type: 'null', title: 'Estimated cost' },
    uiSchema: { 'ui:field': 'DeploymentCostEstimate' },
    idSchema: { $id: 'root_estimate' },
    formContext: { formData },
    rawErrors: [],
    ...overrides,
  } as unknown as Props;
}

/** The field beside a replicas input, as on the Deployment page. */
function DeploymentPage() {
  const [replicas, setReplicas] = useState(SETTINGS.replicas);
  return (
    <>
      <label>
        Replicas
        <input
          type="number"
          value={replicas}
          onChange={e => setReplicas(Number(e.target.value))}
        />
      </label>
      <DeploymentCostEstimate
        {...fieldProps({ deployment: { ...SETTINGS, replicas } })}
      />
    </>
  );
}

async function renderWith(api: Partial<CostsApi>, element: JSX.Element) {
  await renderInTestApp(
    <TestApiProvider apis={[[costsApiRef, api]]}>{element}</TestApiProvider>,
  );
}

const total = (replicas: number) =>
  `${formatMoney(estimateOf(replicas).monthlyTotal, 'EUR')} per month`;

describe('DeploymentCostEstimate', () => {
  it('shows the monthly estimate and its breakdown, and follows the replicas as they change', async () => {
    const estimate = jest.fn(async ({ settings }: { settings: any }) =>
      estimateOf(settings.replicas),
    );
    await renderWith({ estimate }, <DeploymentPage />);

    expect(await screen.findByText(total(2))).toBeInTheDocument();
    expect(estimate).toHaveBeenCalledTimes(1);
    expect(estimate.mock.calls[0][0]).toEqual({ settings: SETTINGS });
    const breakdown = screen.getByRole('table', {
      name: 'Estimate breakdown',
    });
    const row = within(breakdown).getAllByRole('row')[1];
    expect(row).toHaveTextContent('eu-west-1');
    expect(row).toHaveTextContent(formatMoney(28.8, 'EUR')); // 720 vCPU-h × 0.04
    expect(row).toHaveTextContent(formatMoney(3.6, 'EUR')); // 720 GiB-h × 0.005

    // Typing "12" is two changes in quick succession: one request, for 12.
    const input = screen.getByLabelText('Replicas');
    await userEvent.clear(input);
    await userEvent.type(input, '12');

    expect(await screen.findByText(total(12))).toBeInTheDocument();
    expect(estimate).toHaveBeenCalledTimes(2);
    expect(estimate.mock.calls[1][0]).toEqual({
      settings: { ...SETTINGS, replicas: 12 },
    });
  });

  it('shows the backend message for invalid settings', async () => {
    const estimate = jest
      .fn()
      .mockResolvedValueOnce(estimateOf(2))
      .mockRejectedValueOnce(
        await responseError(
          400,
          'InputError',
          'settings.replicas: Too big: expected number to be <=50',
        ),
      );
    await renderWith({ estimate }, <DeploymentPage />);
    await screen.findByText(total(2));

    const input = screen.getByLabelText('Replicas');
    await userEvent.clear(input);
    await userEvent.type(input, '99');

    expect(
      await screen.findByText(
        'settings.replicas: Too big: expected number to be <=50',
      ),
    ).toBeInTheDocument();
    // The stale figure is gone: it was for other settings.
    expect(screen.queryByText(total(2))).not.toBeInTheDocument();
  });

  it('says when the costs backend is not installed', async () => {
    const estimate = jest
      .fn()
      .mockRejectedValue(
        await responseError(404, 'NotFoundError', 'Not found'),
      );
    await renderWith(
      { estimate },
      <DeploymentCostEstimate {...fieldProps({ deployment: SETTINGS })} />,
    );

    expect(
      await screen.findByText(/the costs backend is not installed/),
    ).toBeInTheDocument();
  });

  it('estimates the page defaults before the form recorded any data', async () => {
    const estimate = jest.fn().mockResolvedValue(estimateOf(2));
    const deploymentSchema = { type: 'object', properties: {} };
    const getDefaultFormState = jest.fn(() => SETTINGS);
    const props = fieldProps(
      {},
      {
        registry: {
          rootSchema: { properties: { deployment: deploymentSchema } },
          schemaUtils: { getDefaultFormState },
        } as unknown as Props['registry'],
      },
    );
    await renderWith({ estimate }, <DeploymentCostEstimate {...props} />);

    expect(await screen.findByText(total(2))).toBeInTheDocument();
    expect(getDefaultFormState).toHaveBeenCalledWith(
      deploymentSchema,
      undefined,
    );
    expect(estimate).toHaveBeenCalledWith(
      { settings: SETTINGS },
      expect.anything(),
    );
  });

  it('reads the settings from the property ui:options names', async () => {
    const estimate = jest.fn().mockResolvedValue(estimateOf(3));
    await renderWith(
      { estimate },
      <DeploymentCostEstimate
        {...fieldProps(
          { runtime: { settings: { ...SETTINGS, replicas: 3 } } },
          {
            uiSchema: {
              'ui:options': { settingsField: 'runtime.settings' },
            },
          },
        )}
      />,
    );

    await waitFor(() =>
      expect(estimate).toHaveBeenCalledWith(
        { settings: { ...SETTINGS, replicas: 3 } },
        expect.anything(),
      ),
    );
    expect(await screen.findByText(total(3))).toBeInTheDocument();
  });
});
