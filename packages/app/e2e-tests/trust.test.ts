import { test, expect, APIRequestContext, Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// The sample services live in real repositories on the local git hosting:
// orders-service belongs to the guest's Checkout team, fleet-tracker to
// Logistics' Fleet team.
const OWN = 'orders-service';
const OTHER = 'fleet-tracker';

type Identity = 'guest' | 'admin';

async function tokenOf(request: APIRequestContext, who: Identity) {
  const res =
    who === 'guest'
      ? await request.post('/api/auth/guest/refresh', { data: {} })
      : await request.get('/api/auth/sampleUsers/refresh', {
          headers: { 'x-paved-road-sample-user': who },
        });
  expect(res.ok()).toBe(true);
  return (await res.json()).backstageIdentity.token as string;
}

function settingsUrl(name: string) {
  return `/api/deployments/entities/default/component/${name}/settings`;
}

async function latestSettings(
  request: APIRequestContext,
  token: string,
  name: string,
) {
  const res = await request.get(settingsUrl(name), {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status()).toBe(200);
  return res.json();
}

async function putSettings(
  request: APIRequestContext,
  token: string,
  name: string,
  body: unknown,
) {
  return request.put(settingsUrl(name), {
    headers: { authorization: `Bearer ${token}` },
    data: body,
  });
}

async function signIn(page: Page, who: Identity, path: string) {
  await page.goto(path);
  await page
    .getByRole('button', {
      name: who === 'guest' ? 'Enter' : 'Sign in as Platform Admin',
    })
    .click();
}

function editButton(page: Page) {
  return page.getByRole('button', { name: 'Edit', exact: true });
}

// A fresh in-memory catalog reads the sample repositories once the backend
// listens, and the settings arrive from the repositories on the first read.
test.beforeAll(async ({ request }) => {
  const token = await tokenOf(request, 'guest');
  for (const name of [OWN, OTHER]) {
    await expect
      .poll(
        async () =>
          (
            await request.get(settingsUrl(name), {
              headers: { authorization: `Bearer ${token}` },
            })
          ).status(),
        { timeout: 120_000, intervals: [1000] },
      )
      .toBe(200);
  }
});

test('the API lets owners and admins change settings, refuses other teams and stale versions, and commits one line', async ({
  request,
}) => {
  const guest = await tokenOf(request, 'guest');
  const admin = await tokenOf(request, 'admin');

  // Another team's service: a plain 403 naming the action, nothing written.
  const other = await latestSettings(request, guest, OTHER);
  const denied = await putSettings(request, guest, OTHER, {
    settings: { ...other.settings, replicas: other.settings.replicas + 1 },
    baseVersion: other.version,
    message: 'guest tries another team',
  });
  expect(denied.status()).toBe(403);
  const deniedBody = await denied.json();
  expect(deniedBody.error.message).toContain('deployments.settings.update');
  expect(JSON.stringify(deniedBody)).not.toMatch(/stack|\/work\/|node_modules/);
  expect((await latestSettings(request, guest, OTHER)).version).toBe(
    other.version,
  );

  // Bad input names the field; a stale base version is a conflict.
  const own = await latestSettings(request, guest, OWN);
  const invalid = await putSettings(request, guest, OWN, {
    settings: { ...own.settings, replicas: 0 },
    baseVersion: own.version,
    message: 'zero',
  });
  expect(invalid.status()).toBe(400);
  expect((await invalid.json()).error.message).toContain('settings.replicas');
  const stale = await putSettings(request, guest, OWN, {
    settings: { ...own.settings, memoryMiB: own.settings.memoryMiB + 256 },
    baseVersion: own.version + 1,
    message: 'stale',
  });
  expect(stale.status()).toBe(409);

  // The owner's change lands as one commit that changes one line.
  const memory = own.settings.memoryMiB + 256;
  const changed = await putSettings(request, guest, OWN, {
    settings: { ...own.settings, memoryMiB: memory },
    baseVersion: own.version,
    message: 'More memory for the e2e test',
  });
  expect(changed.status()).toBe(201);
  const { version } = await changed.json();
  expect(version).toMatchObject({
    version: own.version + 1,
    source: 'portal',
    createdBy: 'user:default/guest',
  });
  expect(version.commitSha).toMatch(/^[0-9a-f]{40}$/);

  const dir = mkdtempSync(join(tmpdir(), 'e2e-trust-'));
  try {
    const checkout = join(dir, OWN);
    await run('git', [
      'clone',
      '--quiet',
      `http://localhost:7007/api/local-git/${OWN}.git`,
      checkout,
    ]);
    const { stdout: head } = await run(
      'git',
      ['log', '-1', '--format=%H%n%an%n%s', '--numstat'],
      { cwd: checkout },
    );
    const [sha, author, subject, , numstat] = head.trim().split('\n');
    expect(sha).toBe(version.commitSha);
    expect(author).toBe('Guest Developer');
    expect(subject).toBe('More memory for the e2e test');
    expect(numstat.split('\t')).toEqual(['1', '1', 'deploy/paved-road.yaml']);
    const { stdout: diff } = await run('git', ['show', '--format=', 'HEAD'], {
      cwd: checkout,
    });
    expect(diff).toContain(`+  memoryMiB: ${memory}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // A platform admin may change any team's service.
  const byAdmin = await putSettings(request, admin, OTHER, {
    settings: { ...other.settings, replicas: other.settings.replicas + 1 },
    baseVersion: other.version,
    message: 'Admin scales the fleet tracker',
  });
  expect(byAdmin.status()).toBe(201);

  // Every attempt is in the audit trail with its outcome and cost center.
  await expect
    .poll(
      async () => {
        const res = await request.get(
          '/api/paved-road/audit?action=settings.changed&limit=50',
          { headers: { authorization: `Bearer ${guest}` } },
        );
        const { items } = await res.json();
        return items.map((e: any) => ({
          entityRef: e.entityRef,
          actor: e.actor,
          outcome: e.outcome,
          costCenter: e.costCenter,
        }));
      },
      { timeout: 30_000 },
    )
    .toEqual(
      expect.arrayContaining([
        {
          entityRef: `component:default/${OTHER}`,
          actor: 'user:default/guest',
          outcome: 'denied',
          costCenter: 'CC-2001',
        },
        {
          entityRef: `component:default/${OWN}`,
          actor: 'user:default/guest',
          outcome: 'succeeded',
          costCenter: 'CC-1001',
        },
        {
          entityRef: `component:default/${OTHER}`,
          actor: 'user:default/admin',
          outcome: 'succeeded',
          costCenter: 'CC-2001',
        },
      ]),
    );
});

test('the Deployments tab offers Edit to owners and admins only, and an edit shows up as a new version', async ({
  page,
  browser,
}) => {
  await signIn(
    page,
    'guest',
    `/catalog/default/component/${OTHER}/deployments`,
  );
  await expect(editButton(page)).toBeDisabled();
  await expect(
    page.getByTestId('disabled-reason').filter({ has: editButton(page) }),
  ).toHaveAttribute('aria-label', /Only members of/);

  await page.goto(`/catalog/default/component/${OWN}/deployments`);
  await expect(editButton(page)).toBeEnabled();
  await editButton(page).click();
  const replicas = page.getByRole('spinbutton', { name: /^Replicas/ });
  const before = Number(await replicas.inputValue());
  await replicas.fill(String(before + 1));
  await page.getByRole('button', { name: 'Review changes' }).click();
  await expect(page.getByRole('dialog')).toContainText('Replicas');
  await page
    .getByRole('textbox', { name: /^Why/ })
    .fill('More replicas from the browser test');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(
    page.getByRole('heading', { name: 'Settings saved' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(
    page.getByText('More replicas from the browser test').first(),
  ).toBeVisible();

  // The platform admin sees Edit enabled on the other team's service.
  const adminContext = await browser.newContext();
  try {
    const adminPage = await adminContext.newPage();
    await signIn(
      adminPage,
      'admin',
      `/catalog/default/component/${OTHER}/deployments`,
    );
    await expect(editButton(adminPage)).toBeEnabled();
  } finally {
    await adminContext.close();
  }
});

test('the audit page lists denied and successful changes with their cost centers', async ({
  page,
}) => {
  await signIn(page, 'guest', '/paved-road/audit?action=settings.changed');
  const rows = page.getByRole('row');
  await expect(
    rows.filter({ hasText: 'denied' }).filter({ hasText: 'CC-2001' }).first(),
  ).toBeVisible();
  await expect(
    rows
      .filter({ hasText: 'succeeded' })
      .filter({ hasText: 'CC-1001' })
      .first(),
  ).toBeVisible();
});
