import { test, expect, APIRequestContext, Page } from '@playwright/test';
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const skipMaven = process.env.PAVED_ROAD_SKIP_MAVEN_TESTS === '1';

async function signInAsGuest(page: Page, path: string) {
  await page.goto(path);
  await page.getByRole('button', { name: 'Enter' }).click();
}

// Unique per run: the local git hosting refuses a name that already exists.
const suffix = Date.now().toString(36);

/** Chooses a template and fills the fields both Kotlin templates share. */
async function startForm(
  page: Page,
  template: string,
  name: string,
  description: string,
) {
  await signInAsGuest(page, '/create');
  await page
    .locator('.MuiCard-root')
    .filter({ hasText: template })
    .getByRole('button', { name: 'Choose' })
    .click();
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  await page.getByRole('textbox', { name: /^Description/ }).fill(description);
  const owner = page.getByRole('textbox', { name: /^(Owning team|Owner)/ });
  await owner.click();
  await owner.fill('Checkout');
  await page.getByRole('option', { name: /Checkout/ }).click();
}

/** Walks the remaining pages, creates, and opens the new entity. */
async function finishForm(page: Page, name: string) {
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
}

async function readEntity(request: APIRequestContext, name: string) {
  const auth = await request.post('/api/auth/guest/refresh', { data: {} });
  const token = (await auth.json()).backstageIdentity.token;
  const response = await request.get(
    `/api/catalog/entities/by-name/component/default/${name}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  expect(response.status()).toBe(200);
  return response.json();
}

/** `git clone` over the portal's smart HTTP; returns the checkout. */
function cloneRepository(dir: string, name: string) {
  const checkout = join(dir, name);
  return run('git', [
    'clone',
    '--quiet',
    `http://localhost:7007/api/local-git/${name}.git`,
    checkout,
  ]).then(async () => {
    const { stdout } = await run('git', ['log', '--format=%an <%ae>'], {
      cwd: checkout,
    });
    return { checkout, authors: stdout.trim() };
  });
}

async function waitForHealth(port: number, child: ChildProcess) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && child.exitCode === null) {
    const answer = await fetch(`http://localhost:${port}/actuator/health`)
      .then(r => r.json())
      .catch(() => undefined);
    if (answer) return answer;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`the service never answered on :${port}`);
}

/**
 * Day 2 on a just-created service: its settings are there from the first
 * second, an edit from the Deployments tab becomes a version and a commit,
 * and deactivating it from its page refuses further changes.
 */
async function settingsAsCode(
  page: Page,
  request: APIRequestContext,
  name: string,
) {
  await page.goto(`/catalog/default/component/${name}/deployments`);
  const settings = page.getByRole('table', { name: 'Deployment settings' });
  await expect(settings.getByRole('row', { name: /^Replicas / })).toContainText(
    '3',
  );
  // Next to the settings: the SLOs of the project's deploy/slo.yaml, with
  // their error budgets (99.5 % over 28 days).
  await expect(
    page.getByText('Service level objectives', { exact: true }).first(),
  ).toBeVisible();
  await expect(page.getByText(/3 h 21 min 36 s/).first()).toBeVisible();

  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByRole('spinbutton', { name: /^Replicas/ }).fill('4');
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page
    .getByRole('textbox', { name: /^Why/ })
    .fill('Four replicas from the tab');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(/Saved as version 2/)).toBeVisible();
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(settings.getByRole('row', { name: /^Replicas / })).toContainText(
    '4',
  );

  // Deactivate from the project card on the overview.
  await page.goto(`/catalog/default/component/${name}`);
  await page.getByRole('button', { name: 'Deactivate', exact: true }).click();
  await page
    .getByRole('dialog')
    .getByRole('button', { name: 'Deactivate', exact: true })
    .click();
  await expect(page.getByTestId('deactivated-banner').first()).toContainText(
    'This project is deactivated',
  );
  await expect(
    page.getByRole('button', { name: 'Reactivate', exact: true }),
  ).toBeVisible();

  // The catalog says so too, and the API refuses changes meanwhile.
  const auth = await request.post('/api/auth/guest/refresh', { data: {} });
  const token = (await auth.json()).backstageIdentity.token;
  await expect
    .poll(async () => (await readEntity(request, name)).spec.lifecycle, {
      timeout: 30_000,
    })
    .toBe('deprecated');
  const current = await request.get(
    `/api/deployments/entities/default/component/${name}/settings`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  const latest = await current.json();
  const refused = await request.put(
    `/api/deployments/entities/default/component/${name}/settings`,
    {
      headers: { authorization: `Bearer ${token}` },
      data: {
        settings: { ...latest.settings, replicas: 5 },
        baseVersion: latest.version,
        message: 'while deactivated',
      },
    },
  );
  expect(refused.status()).toBe(409);
}

test('creating a Kotlin library from the form publishes a clonable repository and registers it', async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const name = `e2e-lib-${suffix}`;
  await startForm(page, 'Kotlin library', name, 'Created by the browser test');
  const costCenter = page.getByLabel(/^Cost center/);
  await expect(costCenter).toHaveValue('CC-1001');
  await costCenter.selectOption('CC-1002');
  await finishForm(page, name);
  await expect(
    page.getByText('Created by the browser test').first(),
  ).toBeVisible();

  // The entity carries owner, business unit and the chosen cost center.
  const entity = await readEntity(request, name);
  expect(entity.spec.owner).toBe('group:default/checkout');
  expect(entity.metadata.annotations).toMatchObject({
    'paved-road.io/cost-center': 'CC-1002',
    'paved-road.io/business-unit': 'group:default/payments',
  });

  // The repository is real: git clone over HTTP, authored by the guest.
  const dir = mkdtempSync(join(tmpdir(), 'e2e-clone-'));
  try {
    const { checkout, authors } = await cloneRepository(dir, name);
    expect(readFileSync(join(checkout, 'catalog-info.yaml'), 'utf8')).toContain(
      'paved-road.io/cost-center: CC-1002',
    );
    expect(authors).toBe('Guest Developer <guest@example.com>');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('creating a Kotlin service from the form yields a repository that builds, starts healthy and is in the catalog', async ({
  page,
  request,
}) => {
  test.setTimeout(420_000);
  const name = `e2e-svc-${suffix}`;
  await startForm(page, 'Kotlin Spring Boot service', name, 'E2E service');
  await expect(page.getByLabel(/^Cost center/)).toHaveValue('CC-1001');
  // The deployment settings page: one value changed, the rest defaults.
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  const replicas = page.getByRole('spinbutton', { name: /^Replicas/ });
  await replicas.fill('3');
  await finishForm(page, name);

  const entity = await readEntity(request, name);
  expect(entity.spec).toMatchObject({
    type: 'service',
    owner: 'group:default/checkout',
  });
  expect(entity.metadata.annotations).toMatchObject({
    'paved-road.io/cost-center': 'CC-1001',
    'paved-road.io/business-unit': 'group:default/payments',
  });
  expect(entity.relations).toEqual(
    expect.arrayContaining([
      { type: 'ownedBy', targetRef: 'group:default/checkout' },
    ]),
  );

  // No bill yet: the Cost tab shows the estimate of the chosen settings.
  await page.goto(`/catalog/default/component/${name}/costs`);
  await expect(page.getByText('Estimated cost').first()).toBeVisible();

  await settingsAsCode(page, request, name);

  const dir = mkdtempSync(join(tmpdir(), 'e2e-clone-'));
  try {
    const { checkout, authors } = await cloneRepository(dir, name);
    // Created, edited and deactivated by the guest: three commits.
    expect(authors.split('\n')).toEqual(
      Array(3).fill('Guest Developer <guest@example.com>'),
    );
    const descriptor = readFileSync(
      join(checkout, 'deploy/paved-road.yaml'),
      'utf8',
    );
    // The edit from the Deployments tab, on top of the form's value.
    expect(descriptor).toMatch(/^ {2}replicas: 4$/m);
    const { stdout: numstat } = await run(
      'git',
      ['show', '--numstat', '--format=%s', 'HEAD~1'],
      { cwd: checkout },
    );
    expect(numstat.trim().split('\n')).toEqual([
      'Four replicas from the tab',
      '',
      '1\t1\tdeploy/paved-road.yaml',
    ]);

    // Day one: the clone builds, its tests pass, and it starts healthy.
    test.skip(skipMaven, 'PAVED_ROAD_SKIP_MAVEN_TESTS=1');
    await run('mvn', ['-B', '-q', 'verify', '-Dkotlin.compiler.daemon=false'], {
      cwd: checkout,
      maxBuffer: 64 * 1024 * 1024,
    });
    const port = 18_000 + Math.floor(Math.random() * 1000);
    const service = spawn(
      'java',
      ['-jar', `target/${name}-0.1.0-SNAPSHOT.jar`, `--server.port=${port}`],
      { cwd: checkout, stdio: 'ignore' },
    );
    try {
      expect(await waitForHealth(port, service)).toMatchObject({
        status: 'UP',
      });
    } finally {
      service.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
