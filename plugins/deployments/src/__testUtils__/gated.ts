import { screen, waitFor } from '@testing-library/react';

/**
 * The reason a GatedButton named `name` is disabled with (its tooltip), once
 * the permission has been checked; the button itself alongside.
 */
export async function findDisabledReason(name: string | RegExp) {
  let reason: string | null = null;
  let button: HTMLElement | undefined;
  await waitFor(() => {
    button = screen.getByRole('button', { name });
    reason =
      button
        .closest('[data-testid="disabled-reason"]')
        ?.getAttribute('aria-label') ?? null;
    expect(reason).not.toBeNull();
  });
  return { reason: reason as unknown as string, button: button! };
}
