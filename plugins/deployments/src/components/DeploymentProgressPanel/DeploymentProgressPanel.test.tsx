import { screen, waitFor } from '@testing-library/react';
import {
  deploymentDetails,
  eventsPage,
  logLines,
  mockDeploymentsApi,
  ordersEntity,
  ordersRef,
  stage,
} from '../../__testUtils__/fixtures';
import { renderForEntity } from '../../__testUtils__/renderForEntity';
import { DeploymentProgressPanel } from './DeploymentProgressPanel';

describe('DeploymentProgressPanel', () => {
  it('reads a long log page after page from its cursor, and keeps the newest line in view', async () => {
    const lines = logLines(
      1,
      ...Array.from({ length: 600 }, (_, i) => `line ${i + 1}`),
    );
    const api = mockDeploymentsApi({
      getDeployment: jest.fn().mockResolvedValue(
        deploymentDetails({
          status: 'succeeded',
          finishedAt: '2026-01-12T09:01:00.000Z',
          stages: [stage('build', 'succeeded', 0, 60)],
        }),
      ),
      getDeploymentEvents: jest.fn(async (_id, options) => {
        const after = Number(options?.after ?? 0);
        const limit = options?.limit ?? 500;
        return eventsPage(lines.filter(l => l.seq > after).slice(0, limit), {
          after,
          finished: true,
        });
      }),
    });
    // jsdom lays nothing out: give the log box a height to scroll.
    const scrollHeight = jest
      .spyOn(HTMLElement.prototype, 'scrollHeight', 'get')
      .mockReturnValue(9000);

    try {
      await renderForEntity(
        <DeploymentProgressPanel
          deploymentId="run-1"
          entityRef={ordersRef}
          onClose={jest.fn()}
        />,
        { entity: ordersEntity, api },
      );

      const log = await screen.findByRole('log', { name: 'Deployment log' });
      await waitFor(() => expect(log).toHaveTextContent('line 600'));
      expect(log.children).toHaveLength(600);
      expect(
        api.getDeploymentEvents.mock.calls.map(([, o]) => o?.after),
      ).toEqual([undefined, '500', '600']);
      expect(log.scrollTop).toBe(9000);
    } finally {
      scrollHeight.mockRestore();
    }
  });

  it('says why it cannot read the deployment', async () => {
    const api = mockDeploymentsApi({
      getDeployment: jest
        .fn()
        .mockRejectedValue(new Error('No deployment run-1')),
    });
    await renderForEntity(
      <DeploymentProgressPanel
        deploymentId="run-1"
        entityRef={ordersRef}
        onClose={jest.fn()}
      />,
      { entity: ordersEntity, api },
    );

    expect(
      await screen.findByText(
        'Could not read the deployment: No deployment run-1',
      ),
    ).toBeInTheDocument();
  });
});
