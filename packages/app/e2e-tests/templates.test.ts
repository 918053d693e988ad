import { test, expect, APIRequestContext, Page } from '@playwright/test';

const KOTLIN_SERVICE = 'template:default/kotlin-spring-service';
const KOTLIN_TEMPLATES = ['Kotlin Spring Boot service', 'Kotlin library'];
// Unique per run: the local git hosting refuses a name that already exists.
const name = `e2e-tpl-${Date.now().toString(36)}`;

async function guestToken(request: APIRequestContext): Promise<string> {
  const auth = await request.post('/api/auth/guest/refresh', { data: {} });
  expect(auth.ok()).toBe(true);
  return (await auth.json()).backstageIdentity.token;
}

async function signInAsGuest(page: Page, path: string) {
  await page.goto(path);
  await page.getByRole('button', { name: 'Enter' }).click();
}

/**
 * Creates a Kotlin service from its template through the scaffolder API as
 * the guest (the form is create.test.ts's subject; this is quicker) and
 * waits until the catalog has it.
 */
async function createService(request: APIRequestContext, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  const created = await request.post('/api/scaffolder/v2/tasks', {
    headers,
    data: {
      templateRef: KOTLIN_SERVICE,
      // The form's defaults, as `paved-road create` sends them.
      values: {
        name,
        description: 'Made by the template browser test',
        owner: 'group:default/checkout',
        system: '',
        costCenter: '',
        groupId: 'com.example',
        basePackage: '',
        javaVersion: '17',
        deployment: {
          cluster: 'local',
          replicas: 2,
          cpuMillicores: 500,
          memoryMiB: 512,
          regions: ['eu-west-1'],
          rollout: {
            strategy: 'canary',
            canaryPercent: 10,
            healthCheckPath: '/actuator/health',
          },
        },
        deployAfterCreation: false,
      },
    },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  await expect
    .poll(
      async () => {
        const res = await request.get(`/api/scaffolder/v2/tasks/${id}`, {
          headers,
        });
        return (await res.json()).status;
      },
      { timeout: 60_000, intervals: [500] },
    )
    .toBe('completed');
  await expect
    .poll(
      async () =>
        (
          await request.get(
            `/api/catalog/entities/by-name/component/default/${name}`,
            { headers },
          )
        ).status(),
      { timeout: 60_000, intervals: [500] },
    )
    .toBe(200);
}

// The backend starts from an empty in-memory database: the health collector
// first runs 30 s after start, and the project is made once for the file.
test.beforeAll(async ({ request }) => {
  test.setTimeout(180_000);
  const token = await guestToken(request);
  await Promise.all([
    createService(request, token),
    expect
      .poll(
        async () => {
          const res = await request.get('/api/templates/health', {
            headers: { authorization: `Bearer ${token}` },
          });
          if (!res.ok()) return [];
          return (await res.json()).items.map((t: any) => t.title);
        },
        { timeout: 120_000, intervals: [1000] },
      )
      .toEqual(expect.arrayContaining(KOTLIN_TEMPLATES)),
  ]);
});

const verdict = /^Template health: (healthy|degraded|failing)$/;

test('the template health page lists the Kotlin templates with their verdicts', async ({
  page,
}) => {
  await signInAsGuest(page, '/template-health');
  for (const title of KOTLIN_TEMPLATES) {
    const row = page
      .getByRole('row')
      .filter({ has: page.getByText(title, { exact: true }) });
    await expect(row.getByLabel(verdict)).toBeVisible();
  }
});

test("the create page's template cards show each template's health", async ({
  page,
}) => {
  await signInAsGuest(page, '/create');
  for (const title of KOTLIN_TEMPLATES) {
    const card = page.locator('.MuiCard-root').filter({ hasText: title });
    await expect(card.getByLabel(verdict)).toBeVisible();
  }
});

test('a service made from the Kotlin template is on 2.0.0, up to date, and in its fleet', async ({
  page,
}) => {
  await signInAsGuest(page, `/catalog/default/component/${name}`);
  await expect(
    page.getByText('Template kotlin-spring-service · 2.0.0 · Up to date.'),
  ).toBeVisible();

  await page.goto('/template-fleet?template=default/kotlin-spring-service');
  const row = page
    .getByRole('table', { name: 'Projects' })
    .getByRole('row')
    .filter({ hasText: name });
  // Project, owner, version, available.
  await expect(row.getByRole('cell').nth(3)).toHaveText('2.0.0');
  await expect(row.getByRole('cell').nth(4)).toHaveText('—');
});
