import { test, expect, Page } from '@playwright/test';

const SAMPLE_SERVICES = [
  'orders-service',
  'payment-gateway',
  'fleet-tracker',
  'inventory-service',
];

// The backend starts from an empty in-memory database: wait until the
// catalog has processed the sample organisation before looking at pages.
test.beforeAll(async ({ request }) => {
  const auth = await request.post('/api/auth/guest/refresh', { data: {} });
  expect(auth.ok()).toBe(true);
  const token = (await auth.json()).backstageIdentity.token;
  await expect
    .poll(
      async () => {
        const res = await request.get(
          '/api/catalog/entities/by-query?filter=kind=component,spec.type=service',
          { headers: { authorization: `Bearer ${token}` } },
        );
        const body = await res.json();
        return body.items.map((e: any) => e.metadata.name).sort();
      },
      { timeout: 120_000, intervals: [1000] },
    )
    .toEqual(expect.arrayContaining(SAMPLE_SERVICES));
});

// Entity page tabs are links in this Backstage release.
function entityTab(page: Page, name: string) {
  return page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name, exact: true });
}

async function signInAsGuest(page: Page, path: string) {
  await page.goto(path);
  await page.getByRole('button', { name: 'Enter' }).click();
}

test('the home page loads after guest sign-in', async ({ page }) => {
  await signInAsGuest(page, '/');
  await expect(page.getByText('Welcome to the Paved Road')).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await expect(
    nav.getByRole('link', { name: 'Catalog', exact: true }),
  ).toBeVisible();
});

test('the catalog lists the sample services', async ({ page }) => {
  await signInAsGuest(
    page,
    '/catalog?filters[kind]=component&filters[user]=all',
  );
  const table = page.getByRole('table');
  for (const title of [
    'Orders Service',
    'Payment Gateway',
    'Fleet Tracker',
    'Inventory Service',
  ]) {
    await expect(table.getByRole('link', { name: title })).toBeVisible();
  }
});

test('a service page shows deployments from the deployments backend', async ({
  page,
}) => {
  await signInAsGuest(page, '/catalog/default/component/orders-service');
  await entityTab(page, 'Deployments').click();
  await expect(page).toHaveURL(/orders-service\/deployments/);
  // Values below come from examples/deployments.yaml through the backend.
  await expect(page.getByText('eu-prod-1').first()).toBeVisible();
  await expect(page.getByText('Deployment history')).toBeVisible();
  await expect(page.getByText(/succeeded/i).first()).toBeVisible();
});

test('a service page shows cost from the costs backend', async ({ page }) => {
  await signInAsGuest(page, '/catalog/default/component/orders-service');
  await entityTab(page, 'Cost').click();
  await expect(page).toHaveURL(/orders-service\/costs/);
  // The sample FOCUS export is ingested at start; amounts are in EUR.
  await expect(page.getByText(/month to date/i).first()).toBeVisible();
  await expect(page.getByText(/€\s?[1-9][\d,.]*/).first()).toBeVisible();
});

test('a library page has no deployments tab', async ({ page }) => {
  await signInAsGuest(page, '/catalog/default/component/money-kt');
  await expect(entityTab(page, 'Overview')).toBeVisible();
  await expect(entityTab(page, 'Cost')).toBeVisible();
  await expect(entityTab(page, 'Deployments')).toHaveCount(0);
});

test('the create page lists templates', async ({ page }) => {
  await signInAsGuest(page, '/create');
  await expect(
    page.getByText('Kotlin Spring Boot service', { exact: true }).first(),
  ).toBeVisible();
  await expect(
    page.getByText('Kotlin library', { exact: true }).first(),
  ).toBeVisible();
});
