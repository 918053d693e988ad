import { test, expect, APIRequestContext, Page } from '@playwright/test';

// Every deployment builds the generated service with Maven and runs it as
// local JVMs: skipped where the Maven tests are.
const skipMaven = process.env.PAVED_ROAD_SKIP_MAVEN_TESTS === '1';

// Unique per run: the local git hosting refuses a name that already exists.
const name = `e2e-deploy-${Date.now().toString(36)}`;

/** A build, a canary, its bake and the promotion on the embedded default. */
const DEPLOY_TIMEOUT = 480_000;
const CANARY_STAGES = ['build', 'canary', 'bake', 'promote'];

async function signInAsGuest(page: Page, path: string) {
  await page.goto(path);
  await page.getByRole('button', { name: 'Enter' }).click();
}

async function guestToken(request: APIRequestContext): Promise<string> {
  const auth = await request.post('/api/auth/guest/refresh', { data: {} });
  return (await auth.json()).backstageIdentity.token;
}

/** Creates a Kotlin service through the form as the guest, four replicas asked for. */
async function createService(page: Page) {
  await signInAsGuest(page, '/create');
  await page
    .locator('.MuiCard-root')
    .filter({ hasText: 'Kotlin Spring Boot service' })
    .getByRole('button', { name: 'Choose' })
    .click();
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  await page
    .getByRole('textbox', { name: /^Description/ })
    .fill('Deployed by the browser test');
  const owner = page.getByRole('textbox', { name: /^(Owning team|Owner)/ });
  await owner.click();
  await owner.fill('Checkout');
  await page.getByRole('option', { name: /Checkout/ }).click();
  // The deployment settings page: more replicas than run locally.
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('spinbutton', { name: /^Replicas/ }).fill('4');
  for (;;) {
    const next = page.getByRole('button', { name: /^(Next|Review)$/ });
    if ((await next.count()) === 0) break;
    await next.click();
  }
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('link', { name: 'Open in catalog' })).toBeVisible(
    { timeout: 120_000 },
  );
}

/** The newest deployment of the service, as the API lists it. */
async function latestDeployment(request: APIRequestContext) {
  const response = await request.get(
    `/api/deployments/entities/default/component/${name}/deployments?limit=1`,
    { headers: { authorization: `Bearer ${await guestToken(request)}` } },
  );
  expect(response.status()).toBe(200);
  const [latest] = (await response.json()).items;
  return latest;
}

/** Waits until every stage of the followed deployment has succeeded, and so has it. */
async function watchSucceed(page: Page, stageNames: string[]) {
  const stages = page.getByRole('table', { name: 'Deployment stages' });
  await expect(stages).toBeVisible();
  for (const stage of stageNames) {
    await expect(
      stages.getByRole('row', { name: new RegExp(`^${stage}\\b`) }),
    ).toContainText('succeeded', { timeout: DEPLOY_TIMEOUT });
  }
  await expect(page.getByTestId('deployment-outcome')).toContainText(
    'Succeeded',
    { timeout: 60_000 },
  );
  // The log was shown as it ran.
  await expect(
    page.getByRole('log', { name: 'Deployment log' }),
  ).not.toHaveText(/^No log lines yet\.$/);
}

/** Presses Deploy and starts the head of main in production. */
async function deploy(page: Page) {
  await page.getByRole('button', { name: 'Deploy', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Deploy ${name}` });
  await expect(dialog.getByRole('textbox', { name: /^Ref/ })).toHaveValue(
    'main',
  );
  await expect(
    dialog.getByRole('textbox', { name: /^Environment/ }),
  ).toHaveValue('production');
  await dialog.getByRole('button', { name: 'Deploy', exact: true }).click();
  await expect(dialog).toBeHidden();
}

/** The stable URL in the runtime card answers from a healthy instance of `sha`. */
async function expectServing(page: Page, sha: string) {
  await page.getByRole('button', { name: 'Refresh runtime' }).click();
  const instances = page.getByRole('table', { name: 'Instances' });
  const current = instances
    .getByRole('row')
    .filter({ hasText: sha.slice(0, 7) });
  await expect(current.first()).toContainText('healthy', { timeout: 60_000 });
  await expect(current.first()).not.toContainText('unhealthy');
  await expect(
    page.getByText(/2 of 4 replicas run locally/).first(),
  ).toBeVisible();

  const stableUrl = await page.getByTestId('stable-url').getAttribute('href');
  expect(stableUrl).toMatch(/^http:\/\/localhost:\d+$/);
  const health = await fetch(`${stableUrl}/actuator/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'UP' });
}

test('deploying a new service from its Deployments tab, live, then rolling it back', async ({
  page,
  request,
}) => {
  test.skip(skipMaven, 'PAVED_ROAD_SKIP_MAVEN_TESTS=1');
  test.setTimeout(3 * DEPLOY_TIMEOUT + 300_000);

  await createService(page);
  await page.goto(`/catalog/default/component/${name}/deployments`);
  await expect(
    page.getByRole('table', { name: 'Deployment settings' }),
  ).toBeVisible();
  // Nothing deployed yet: no version to go back to, nothing running.
  await expect(page.getByText(/Nothing runs in production/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Rollback' })).toBeDisabled();

  // First deployment: the head of main.
  await deploy(page);
  await watchSucceed(page, CANARY_STAGES);
  const first = await latestDeployment(request);
  expect(first).toMatchObject({ status: 'succeeded', source: 'portal' });
  await expectServing(page, first.commitSha);

  // A settings change is a new commit on main: the second deployment
  // deploys another version.
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  await page.getByRole('spinbutton', { name: /^CPU/ }).fill('750');
  await page.getByRole('button', { name: 'Review changes' }).click();
  await page
    .getByRole('textbox', { name: /^Why/ })
    .fill('More CPU before the second deployment');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText(/Saved as version 2/)).toBeVisible();
  await page.getByRole('button', { name: 'Close' }).click();

  await deploy(page);
  await watchSucceed(page, CANARY_STAGES);
  const second = await latestDeployment(request);
  expect(second.status).toBe('succeeded');
  expect(second.commitSha).not.toBe(first.commitSha);
  await expectServing(page, second.commitSha);

  // Roll back to the first version, after a confirmation.
  const rollback = page.getByRole('button', { name: 'Rollback' });
  await expect(rollback).toBeEnabled();
  await rollback.click();
  const confirm = page.getByRole('dialog', {
    name: `Roll production back to ${first.commitSha.slice(0, 7)}?`,
  });
  await confirm.getByRole('button', { name: 'Roll back' }).click();
  await expect(confirm).toBeHidden();
  await expect(
    page.getByText(`Rollback of production to ${first.commitSha.slice(0, 7)}`),
  ).toBeVisible();
  // Which stages a rollback runs depends on the rollout; the outcome counts.
  await expect(page.getByTestId('deployment-outcome')).toContainText(
    'Succeeded',
    { timeout: DEPLOY_TIMEOUT },
  );
  const rolledBack = await latestDeployment(request);
  expect(rolledBack).toMatchObject({
    status: 'succeeded',
    commitSha: first.commitSha,
  });
  await expectServing(page, first.commitSha);

  // The history shows all three, newest first, and the figures count them.
  const history = page
    .getByRole('row')
    .filter({ has: page.locator('[data-status]') });
  await expect(history).toHaveCount(3);
  await expect(history.first()).toContainText(first.commitSha.slice(0, 7));
  await expect(
    page.getByRole('group', { name: 'Deployment frequency' }),
  ).toContainText('3 successful deployments');
});
