import { test, expect, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

async function signInAsGuest(page: Page, path: string) {
  await page.goto(path);
  await page.getByRole('button', { name: 'Enter' }).click();
}

// The sample services' costs come from the sample FOCUS export, allocated
// to the catalog's organisation once the catalog has the sample services.
test.beforeAll(async ({ request }) => {
  const auth = await request.post('/api/auth/guest/refresh', { data: {} });
  const token = (await auth.json()).backstageIdentity.token;
  await expect
    .poll(
      async () => {
        const res = await request.get('/api/costs/rollups?groupBy=service', {
          headers: { authorization: `Bearer ${token}` },
        });
        if (!res.ok()) return [];
        const body = await res.json();
        return body.items.map((i: any) => i.entityRef);
      },
      { timeout: 120_000, intervals: [1000] },
    )
    .toContain('component:default/orders-service');
});

test('the creation form shows the monthly estimate and follows the settings as they change', async ({
  page,
}) => {
  await signInAsGuest(page, '/create');
  await page
    .locator('.MuiCard-root')
    .filter({ hasText: 'Kotlin Spring Boot service' })
    .getByRole('button', { name: 'Choose' })
    .click();
  await page.getByRole('textbox', { name: /^Name/ }).fill('estimate-demo');
  await page
    .getByRole('textbox', { name: /^Description/ })
    .fill('Not created: only the estimate is looked at');
  const owner = page.getByRole('textbox', { name: /^(Owning team|Owner)/ });
  await owner.click();
  await owner.fill('Checkout');
  await page.getByRole('option', { name: /Checkout/ }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  const estimate = page.getByText(/ per month$/).first();
  await expect(estimate).toBeVisible();
  const before = await estimate.textContent();

  const replicas = page.getByRole('spinbutton', { name: /^Replicas/ });
  const replicasBefore = Number(await replicas.inputValue());
  await replicas.fill(String(replicasBefore * 2));
  // Twice the replicas, twice the cost: the text changes without a reload.
  await expect(estimate).not.toHaveText(before!);
  const amount = (text: string | null) =>
    Number((text ?? '').replace(/[^0-9.]/g, ''));
  const after = await estimate.textContent();
  expect(amount(after)).toBeCloseTo(amount(before) * 2, 0);
});

test('the cost explorer drills from a business unit down to a service and exports what it shows', async ({
  page,
}) => {
  await signInAsGuest(page, '/costs');
  await expect(
    page.getByRole('tab', { name: 'Business unit' }),
  ).toHaveAttribute('aria-selected', 'true');
  await page
    .getByRole('button', { name: 'Open Payments: cost by cost center' })
    .click();
  await page
    .getByRole('button', { name: 'Open CC-1001: cost by team' })
    .click();
  await page
    .getByRole('button', { name: 'Open Checkout: cost by service' })
    .click();
  const table = page.getByRole('table', { name: 'Cost by service' });
  await expect(
    table.getByRole('link', { name: 'Orders Service' }),
  ).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Drill-down' }),
  ).toContainText('Checkout');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const path = await download.path();
  const csv = readFileSync(path, 'utf8');
  expect(csv.split('\n')[0]).toMatch(/total/i);
  expect(csv).toContain('component:default/orders-service');
});
