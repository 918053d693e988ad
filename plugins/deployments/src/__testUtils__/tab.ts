import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

/**
 * The rows of the deployment history (those with a status chip), leaving
 * out the environments table, whose rows show their last deployment's.
 */
export function historyRows(): HTMLElement[] {
  return screen
    .getAllByRole('row')
    .filter(row => row.querySelector('[data-status]'))
    .filter(row => !row.closest('table[aria-label="Environments"]'));
}

/** Clicks Deploy once the permission allows it; the dialog it opens. */
export async function openDeployDialog(entityName = 'orders-service') {
  const deploy = await screen.findByRole('button', { name: 'Deploy' });
  await waitFor(() => expect(deploy).toBeEnabled());
  await userEvent.click(deploy);
  return screen.findByRole('dialog', { name: `Deploy ${entityName}` });
}
