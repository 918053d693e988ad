import { test, expect, Page } from '@playwright/test';

async function signInAsGuest(page: Page, path: string) {
  await page.goto(path);
  await page.getByRole('button', { name: 'Enter' }).click();
}

test('the home page loads after guest sign-in', async ({ page }) => {
  await signInAsGuest(page, '/');
  await expect(page.getByText('Welcome to the Paved Road')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(nav.getByRole('link', { name: 'Catalog' })).toBeVisible();
});

test('the catalog lists the sample services', async ({ page }) => {
  await signInAsGuest(page, '/catalog?filters[kind]=component');
  for (const name of [
    'orders-service',
    'payment-gateway',
    'fleet-tracker',
    'inventory-service',
  ]) {
    await expect(page.getByRole('link', { name, exact: false })).toBeVisible();
  }
});

test('a service page shows deployments from the deployments backend', async ({
  page,
}) => {
  await signInAsGuest(page, '/catalog/default/component/orders-service');
  await page.getByRole('tab', { name: 'Deployments' }).click();
  await expect(page).toHaveURL(/orders-service\/deployments/);
  // Values below come from examples/deployments.yaml through the backend.
  await expect(page.getByText('eu-prod-1').first()).toBeVisible();
  await expect(page.getByText('Deployment history')).toBeVisible();
  await expect(page.getByText(/succeeded/i).first()).toBeVisible();
});

test('a service page shows cost from the costs backend', async ({ page }) => {
  await signInAsGuest(page, '/catalog/default/component/orders-service');
  await page.getByRole('tab', { name: 'Cost' }).click();
  await expect(page).toHaveURL(/orders-service\/costs/);
  // The sample FOCUS export is ingested at start; amounts are in EUR.
  await expect(page.getByText(/month to date/i).first()).toBeVisible();
  await expect(page.getByText(/€\s?[1-9][\d,.]*/).first()).toBeVisible();
});

test('a library page has no deployments tab', async ({ page }) => {
  await signInAsGuest(page, '/catalog/default/component/money-kt');
  await expect(page.getByRole('tab', { name: 'Overview' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Deployments' })).toHaveCount(0);
});

test('the create page lists templates', async ({ page }) => {
  await signInAsGuest(page, '/create');
  await expect(page.getByText('Example Node.js Template')).toBeVisible();
});
