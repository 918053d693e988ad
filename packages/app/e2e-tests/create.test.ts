import { test, expect, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function signInAsGuest(page: Page, path: string) {
  await page.goto(path);
  await page.getByRole('button', { name: 'Enter' }).click();
}

// Unique per run: the local git hosting refuses a name that already exists.
const name = `e2e-lib-${Date.now().toString(36)}`;

test('creating a Kotlin library from the form publishes a clonable repository and registers it', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  await signInAsGuest(page, '/create');
  await page
    .locator('.MuiCard-root')
    .filter({ hasText: 'Kotlin library' })
    .getByRole('button', { name: 'Choose' })
    .click();

  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  await page
    .getByRole('textbox', { name: /^Description/ })
    .fill('Created by the browser test');
  const owner = page.getByRole('textbox', { name: /^(Owning team|Owner)/ });
  await owner.click();
  await owner.fill('Checkout');
  await page.getByRole('option', { name: /Checkout/ }).click();
  const costCenter = page.getByLabel(/^Cost center/);
  await expect(costCenter).toHaveValue('CC-1001');
  await costCenter.selectOption('CC-1002');

  // The remaining pages keep their defaults.
  for (;;) {
    const next = page.getByRole('button', { name: /^(Next|Review)$/ });
    if ((await next.count()) === 0) break;
    await next.click();
  }
  await page.getByRole('button', { name: 'Create' }).click();

  // The task page streams each step; the output links appear at the end.
  const openInCatalog = page.getByRole('link', { name: 'Open in catalog' });
  await expect(openInCatalog).toBeVisible({ timeout: 120_000 });
  await openInCatalog.click();
  await expect(page).toHaveURL(
    new RegExp(`/catalog/default/component/${name}`),
  );
  await expect(
    page.getByText('Created by the browser test').first(),
  ).toBeVisible();

  // The entity carries owner, business unit and the chosen cost center.
  const auth = await request.post('/api/auth/guest/refresh', { data: {} });
  const token = (await auth.json()).backstageIdentity.token;
  const entity = await (
    await request.get(
      `/api/catalog/entities/by-name/component/default/${name}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    )
  ).json();
  expect(entity.spec.owner).toBe('group:default/checkout');
  expect(entity.metadata.annotations).toMatchObject({
    'paved-road.io/cost-center': 'CC-1002',
    'paved-road.io/business-unit': 'group:default/payments',
  });

  // The repository is real: git clone over HTTP, authored by the guest.
  const dir = mkdtempSync(join(tmpdir(), 'e2e-clone-'));
  try {
    execFileSync('git', [
      'clone',
      '--quiet',
      `http://localhost:7007/api/local-git/${name}.git`,
      join(dir, name),
    ]);
    const catalogInfo = readFileSync(
      join(dir, name, 'catalog-info.yaml'),
      'utf8',
    );
    expect(catalogInfo).toContain('paved-road.io/cost-center: CC-1002');
    const author = execFileSync('git', ['log', '--format=%an <%ae>'], {
      cwd: join(dir, name),
    })
      .toString()
      .trim();
    expect(author).toBe('Guest Developer <guest@example.com>');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
