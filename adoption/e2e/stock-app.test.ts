import { test, expect, APIRequestContext, Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// A stock create-app portal with the Paved Road packages installed from their
// tarballs and wired as the READMEs say (scripts/test-adoption). The same
// tests run against the new frontend system app and the legacy one.

/** The team from @paved-road/templates' sample organisation. */
const TEAM = { ref: 'group:default/checkout', label: 'Checkout' };
/** The stock app's own example, owned by the stock `guests` group. */
const STOCK_ENTITY = 'component:default/example-website';

const suffix = Date.now().toString(36);

async function guestToken(request: APIRequestContext): Promise<string> {
  const auth = await request.post('/api/auth/guest/refresh', { data: {} });
  expect(auth.ok()).toBe(true);
  return (await auth.json()).backstageIdentity.token;
}

async function signIn(page: Page, path: string) {
  await page.goto(path);
  const enter = page.getByRole('button', { name: 'Enter' });
  await enter.click();
}

/**
 * The legacy entity page has a tab per route; the new one has links, and
 * puts the contents of a group (Deployments and the stock Kubernetes tab are
 * in `deployment`) in a menu behind a button named after the group.
 */
async function openEntityTab(page: Page, name: string) {
  const tab = page.getByRole('tab', { name, exact: true });
  const link = page.getByRole('link', { name, exact: true });
  const group = page.getByRole('button', { name: /^Deployment$/ });
  // Counted only once the page shows one of them: a legacy page still
  // loading has no tabs yet and would be taken for the new system.
  await tab.or(link).or(group).first().waitFor();
  if ((await tab.count()) > 0) {
    await tab.click();
    return;
  }
  if ((await link.count()) === 0) {
    await group.click();
  }
  await page
    .getByRole('link', { name, exact: true })
    .or(page.getByRole('menuitemradio', { name, exact: true }))
    .first()
    .click();
}

// The backend starts from an empty in-memory catalog.
test.beforeAll(async ({ request }) => {
  const token = await guestToken(request);
  const headers = { authorization: `Bearer ${token}` };
  await expect
    .poll(
      async () => {
        const res = await request.post('/api/catalog/entities/by-refs', {
          headers,
          data: {
            entityRefs: [
              STOCK_ENTITY,
              TEAM.ref,
              'template:default/kotlin-spring-service',
            ],
            fields: ['metadata.name'],
          },
        });
        return res.ok() ? (await res.json()).items.filter(Boolean).length : 0;
      },
      { timeout: 120_000, intervals: [1000] },
    )
    .toBe(3);
});

test('in warn mode the stock entities keep updating and are listed on the hygiene page as warnings', async ({
  page,
  request,
}, testInfo) => {
  const token = await guestToken(request);
  const readStockEntity = async () => {
    const res = await request.get(
      '/api/catalog/entities/by-name/component/default/example-website',
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(res.status()).toBe(200);
    return res.json();
  };
  // Stored with the problem noted: its owner, the stock `guests` group, has
  // no business unit.
  await expect
    .poll(
      async () =>
        (
          await readStockEntity()
        ).metadata.annotations['paved-road.io/ownership-problems'] ?? '',
      { timeout: 60_000 },
    )
    .toContain('no business unit');

  // An edit to the stock catalog file still reaches the catalog.
  const file = join(process.env.STOCK_APP_DIR!, 'examples/entities.yaml');
  const description = `Edited by the ${testInfo.project.name} test ${suffix}`;
  writeFileSync(
    file,
    readFileSync(file, 'utf8').replace(
      /(name: example-website\n)(  description: .*\n)?/,
      `$1  description: ${description}\n`,
    ),
  );
  await expect
    .poll(async () => (await readStockEntity()).metadata.description, {
      timeout: 60_000,
    })
    .toBe(description);

  await signIn(page, '/paved-road/hygiene');
  const row = page.getByRole('row').filter({ hasText: 'example-website' });
  await expect(row).toBeVisible();
  await expect(row).toContainText(/warning/i);
});

test('the create form has the cost-center picker, and the new service has Deployments and Cost tabs', async ({
  page,
}, testInfo) => {
  const name = `stock-svc-${testInfo.project.name.split(' ')[0]}-${suffix}`;
  await signIn(page, '/create');
  // The innermost element holding both the template's title and a Choose
  // button is its card (class names differ between the two apps' builds).
  await page
    .locator('div')
    .filter({
      has: page.getByRole('heading', {
        name: 'Kotlin Spring Boot service',
        exact: true,
      }),
    })
    .filter({ has: page.getByRole('button', { name: 'Choose' }) })
    .last()
    .getByRole('button', { name: 'Choose' })
    .click();
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  await page
    .getByRole('textbox', { name: /^Description/ })
    .fill('Created in a stock app');
  const owner = page.getByRole('textbox', { name: /^(Owning team|Owner)/ });
  await owner.click();
  await owner.fill(TEAM.label);
  await page.getByRole('option', { name: new RegExp(TEAM.label) }).click();
  // The cost-center picker offers the owner's business unit's cost centers.
  await expect(page.getByLabel(/^Cost center/)).toHaveValue(/^CC-\d+$/);

  for (;;) {
    const next = page.getByRole('button', { name: /^(Next|Review)$/ });
    if ((await next.count()) === 0) break;
    await next.click();
  }
  await page.getByRole('button', { name: 'Create' }).click();
  const openInCatalog = page.getByRole('link', { name: 'Open in catalog' });
  await expect(openInCatalog).toBeVisible({ timeout: 90_000 });
  await openInCatalog.click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${name}`),
  );

  await openEntityTab(page, 'Deployments');
  await expect(
    page.getByRole('table', { name: 'Deployment settings' }),
  ).toBeVisible();
  await openEntityTab(page, 'Cost');
  await expect(page.getByText('Estimated cost').first()).toBeVisible();
});
