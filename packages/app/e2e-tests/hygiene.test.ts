import { test, expect, Page, APIRequestContext } from '@playwright/test';

// examples/entities.yaml: owned by Checkout (a Payments team) but billed to
// CC-2001, a Logistics cost center.
const WRONG_COST_CENTER = 'component:default/legacy-billing';
// examples/entities.yaml: owned by a Group that does not exist. It never
// processes cleanly, so it is not in GET /entities: only the hygiene list
// shows it.
const UNKNOWN_OWNER = 'component:default/nightly-reports';

async function guestToken(request: APIRequestContext): Promise<string> {
  const auth = await request.post('/api/auth/guest/refresh', { data: {} });
  expect(auth.ok()).toBe(true);
  return (await auth.json()).backstageIdentity.token;
}

// The backend starts from an empty in-memory database: wait until the
// processor has judged the sample entities and the batch is written.
test.beforeAll(async ({ request }) => {
  const token = await guestToken(request);
  await expect
    .poll(
      async () => {
        const res = await request.get('/api/paved-road/hygiene', {
          headers: { authorization: `Bearer ${token}` },
        });
        if (!res.ok()) {
          return [];
        }
        const body = await res.json();
        return body.groups.flatMap((g: any) =>
          g.items.map((i: any) => `${g.businessUnit} ${i.entityRef}`),
        );
      },
      { timeout: 120_000, intervals: [1000] },
    )
    .toEqual(
      expect.arrayContaining([
        `group:default/payments ${WRONG_COST_CENTER}`,
        `null ${UNKNOWN_OWNER}`,
      ]),
    );
});

async function signInAsGuest(page: Page, path: string) {
  await page.goto(path);
  await page.getByRole('button', { name: 'Enter' }).click();
}

test('the hygiene API needs a signed-in user', async ({ request }) => {
  const res = await request.get('/api/paved-road/hygiene');
  expect(res.status()).toBe(401);
});

test('the hygiene page lists an entity billed to another unit under its business unit', async ({
  page,
}) => {
  await signInAsGuest(page, '/');
  const nav = page.getByRole('navigation', { name: 'sidebar nav' });
  await nav.getByRole('link', { name: 'Catalog hygiene' }).click();
  await expect(page).toHaveURL(/\/paved-road\/hygiene$/);

  const payments = page.getByRole('table', {
    name: 'Hygiene problems in group:default/payments',
  });
  const row = payments
    .getByRole('row')
    .filter({ has: page.getByText('Legacy Billing', { exact: true }) });
  const error =
    'metadata.annotations.paved-road.io/cost-center: Cost center CC-2001 does not belong to business unit group:default/payments (valid: CC-1001, CC-1002)';
  await expect(row.getByText('CC-2001', { exact: true })).toBeVisible();
  await expect(row.getByText(error)).toBeVisible();
  // The card heading names the business unit by its catalog title.
  await expect(
    page.getByRole('link', { name: 'Payments', exact: true }),
  ).toHaveAttribute('href', '/catalog/default/group/payments');
  // Clean entities are not listed.
  await expect(page.getByRole('link', { name: 'Orders Service' })).toHaveCount(
    0,
  );

  // The catalog stores it when its first processing came before its team
  // was stored (the usual first start), and then its page shows the error;
  // otherwise it is never stored, and the row says so.
  const link = row.getByRole('link', { name: 'Legacy Billing' });
  if ((await link.count()) === 0) {
    await expect(row.getByText(/^Not in the catalog: /)).toBeVisible();
    return;
  }
  await expect(link).toHaveAttribute(
    'href',
    '/catalog/default/component/legacy-billing',
  );
  await link.click();
  await expect(page.getByText(error).first()).toBeVisible();
});

test('the hygiene page lists an entity whose owner does not exist, with where it is defined', async ({
  page,
}) => {
  await signInAsGuest(page, '/paved-road/hygiene');
  const unresolved = page.getByRole('table', {
    name: 'Hygiene problems without a business unit',
  });
  const row = unresolved
    .getByRole('row')
    .filter({ has: page.getByText('Nightly Reports', { exact: true }) });
  // Never stored by the catalog, so there is no page to link to: the row
  // says so and where the entity is defined.
  await expect(row.getByRole('link')).toHaveCount(0);
  await expect(
    row.getByText(
      /^Not in the catalog: it has never processed cleanly \(defined in file:\/.*\/examples\/entities\.yaml\)$/,
    ),
  ).toBeVisible();
  await expect(
    row.getByText(
      'spec.owner: Owner group:default/data-analytics is not a Group in the catalog',
    ),
  ).toBeVisible();
});

test("the cost-center picker in the create form offers the owner's business-unit cost centers", async ({
  page,
}) => {
  await signInAsGuest(page, '/create');
  const card = page
    .locator('.MuiCard-root')
    .filter({ hasText: 'Kotlin library' });
  await card.getByRole('button', { name: 'Choose' }).click();
  await expect(page).toHaveURL(/\/create\/templates\/default\/kotlin-library/);

  const costCenter = page.getByLabel(/^Cost center/);
  // No owner yet: nothing to choose from.
  await expect(costCenter).toBeDisabled();

  const owner = page.getByRole('textbox', { name: /^(Owning team|Owner)/ });
  await owner.click();
  await owner.fill('Checkout');
  await page.getByRole('option', { name: /Checkout/ }).click();

  await expect(costCenter).toBeEnabled();
  await expect(costCenter).toHaveValue('CC-1001');
  await expect(costCenter.locator('option')).toHaveText([
    'CC-1001 (default)',
    'CC-1002',
  ]);
  await expect(page.getByText('Business unit: Payments')).toBeVisible();

  await costCenter.selectOption('CC-1002');
  await expect(costCenter).toHaveValue('CC-1002');
});
