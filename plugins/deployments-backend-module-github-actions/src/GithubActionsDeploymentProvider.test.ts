import { registerMswTestHooks } from '@backstage/backend-test-utils';
import { setupServer } from 'msw/node';
import { fakeGithub, templateRun, TOKEN } from './__testUtils__/fakeGithub';
import {
  COMMIT,
  deploymentRequest,
  ENTITY_REF,
  testProvider,
} from './__testUtils__/harness';
import { TestReporter } from './__testUtils__/TestReporter';

jest.setTimeout(30_000);

const TEMPLATE_STAGES = [
  'dispatch',
  'Build and push image',
  'Read deployment settings',
  'Deploy (eu-west-1)',
];

describe('GithubActionsDeploymentProvider', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function github(options: Parameters<typeof fakeGithub>[0] = {}) {
    const fake = fakeGithub(options);
    server.use(...fake.handlers);
    return fake;
  }

  it('dispatches cd.yaml with version and environment, follows the run’s jobs as stages and succeeds', async () => {
    const fake = github();
    const request = deploymentRequest();
    const reporter = new TestReporter();

    const outcome = await testProvider().deploy(request, reporter);

    expect(outcome).toEqual({ status: 'succeeded' });
    expect(fake.state.dispatches).toEqual([
      {
        ref: 'main',
        inputs: {
          version: COMMIT,
          environment: 'production',
          deployment_id: request.deploymentId,
        },
        return_run_details: true,
      },
    ]);
    expect(reporter.stageNames).toEqual(TEMPLATE_STAGES);
    expect(reporter.stages.every(s => !s.error)).toBe(true);
    const [run] = fake.state.runs;
    expect(reporter.lines).toEqual(
      expect.arrayContaining([
        `dispatched cd.yaml on main with version ${COMMIT} and environment production`,
        `run #101 of cd.yaml: https://github.com/acme/orders/actions/runs/${run.id}`,
        expect.stringMatching(
          /^job "Build and push image" started on GitHub Actions 7: https:\/\/github\.com\/acme\/orders\/actions\/runs\/\d+\/job\/\d+$/,
        ),
        expect.stringMatching(/^ {2}Verify: success \(\d+ s\)$/),
        expect.stringMatching(/^ {2}Rollback: skipped/),
        expect.stringMatching(/^job "Deploy \(eu-west-1\)": success/),
        'run #101 ended success',
      ]),
    );
    // Each step is logged once, however often it was read.
    expect(reporter.lines.filter(l => l.startsWith('  Verify:'))).toHaveLength(
      1,
    );
    expect([...fake.state.authorization]).toEqual([`Bearer ${TOKEN}`]);
  });

  it('on GitHub Enterprise Server without run details, finds the dispatched run by the deployment id in its name once GitHub lists it', async () => {
    const fake = github({ runDetails: 'refused', listLag: 3 });
    const request = deploymentRequest();
    // Someone else's dispatch a moment earlier, on the same branch.
    fake.addRun({
      display_title: 'Deploy 1234567 to staging (deployment other)',
    });
    const reporter = new TestReporter();

    const outcome = await testProvider().deploy(request, reporter);

    expect(outcome).toEqual({ status: 'succeeded' });
    expect(fake.state.dispatches.map(d => 'return_run_details' in d)).toEqual([
      true,
      false,
    ]);
    const ours = fake.state.runs.find(r =>
      r.display_title.includes(request.deploymentId),
    )!;
    expect(ours.status).toBe('completed');
    expect(reporter.lines).toContain(`run #${ours.run_number} ended success`);
    const lists = fake.state.requests.filter(r =>
      r.startsWith('GET /repos/acme/orders/actions/workflows/cd.yaml/runs?'),
    );
    // The resume check, then polls until the run shows up.
    expect(lists.length).toBeGreaterThanOrEqual(4);
    expect(lists[1]).toContain('event=workflow_dispatch');
    expect(decodeURIComponent(lists[1])).toMatch(
      /created=>=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/,
    );
  });

  it('a failed canary step ends rolled-back, with the reason the step printed', async () => {
    const fake = github({ scenario: templateRun({ canary: 'failure' }) });
    const reporter = new TestReporter();

    const outcome = await testProvider().deploy(deploymentRequest(), reporter);

    expect(outcome).toEqual({
      status: 'rolled-back',
      reason:
        'step "Canary" of job "Deploy (eu-west-1)" failed: Canary failed its health check (/actuator/health answered 503); the workflow rolled back (step "Rollback" of job "Deploy (eu-west-1)")',
    });
    expect(reporter.stages.at(-1)).toEqual({
      name: 'Deploy (eu-west-1)',
      error:
        'step "Canary" failed: Canary failed its health check (/actuator/health answered 503)',
    });
    expect(reporter.lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}Canary: failure/),
        expect.stringMatching(/^ {2}Roll out: skipped/),
        expect.stringMatching(/^ {2}Rollback: success/),
        'error: Canary failed its health check (/actuator/health answered 503)',
        'run #101 ended failure',
      ]),
    );
    expect(fake.state.runs[0].conclusion).toBe('failure');
  });

  it('a build failure ends failed, and the jobs after it are logged as not run', async () => {
    github({ scenario: templateRun({ build: 'failure' }) });
    const reporter = new TestReporter();

    const outcome = await testProvider().deploy(deploymentRequest(), reporter);

    expect(outcome).toEqual({
      status: 'failed',
      reason:
        'step "Verify" of job "Build and push image" failed: Failed to execute goal maven-surefire-plugin: There are test failures.',
    });
    expect(reporter.stageNames).toEqual(['dispatch', 'Build and push image']);
    expect(reporter.lines).toEqual(
      expect.arrayContaining([
        'job "Read deployment settings" did not run (skipped)',
        'job "Deploy (eu-west-1)" did not run (skipped)',
      ]),
    );
  });

  it('waits out GitHub’s rate limits (403 until x-ratelimit-reset, secondary 403 and 429 after retry-after) and retries a 502', async () => {
    const fake = github();
    const secondMs = 40;
    const isRun = (m: string, p: string) =>
      m === 'GET' && /\/actions\/runs\/\d+$/.test(p);
    const isJobs = (m: string, p: string) =>
      m === 'GET' && /\/actions\/runs\/\d+\/jobs$/.test(p);
    const isJob = (m: string, p: string) =>
      m === 'GET' && /\/actions\/jobs\/\d+$/.test(p);
    fake.rateLimitNext('primary', isRun, 1);
    fake.rateLimitNext('too-many', isJobs, 3);
    fake.rateLimitNext('secondary', isJob, 2);
    fake.failNext(502, isRun);
    const reporter = new TestReporter();

    const outcome = await testProvider({ secondMs }).deploy(
      deploymentRequest(),
      reporter,
    );

    expect(outcome).toEqual({ status: 'succeeded' });
    expect(fake.state.interruptions).toEqual([]);
    const waits = reporter.lines.filter(l => /retrying in/.test(l));
    expect(waits).toEqual([
      expect.stringMatching(
        /^GitHub's primary rate limit held back GET \/repos\/\{owner\}\/\{repo\}\/actions\/runs\/\{run_id\}; retrying in [23] s$/,
      ),
      expect.stringMatching(
        /^GitHub answered 429 \(too many requests\) to GET \/repos\/acme\/orders\/actions\/runs\/\d+\/jobs; retrying in 3 s$/,
      ),
      expect.stringMatching(
        /^GitHub's secondary rate limit held back GET \/repos\/\{owner\}\/\{repo\}\/actions\/jobs\/\{job_id\}; retrying in 2 s$/,
      ),
    ]);
    // Each refused request was sent again, only after its wait.
    const gap = (match: (m: string, p: string) => boolean) => {
      const index = fake.state.requests.findIndex(r => {
        const [method, path] = r.split(' ');
        return match(method, path.split('?')[0]);
      });
      return (
        fake.state.requestTimes[index + 1] - fake.state.requestTimes[index]
      );
    };
    expect(gap(isRun)).toBeGreaterThanOrEqual(secondMs - 5);
    expect(gap(isJobs)).toBeGreaterThanOrEqual(3 * secondMs - 5);
    expect(gap(isJob)).toBeGreaterThanOrEqual(2 * secondMs - 5);
  });

  it('a cancel cancels the run on GitHub and ends failed "cancelled"', async () => {
    const fake = github();
    const reporter = new TestReporter();
    reporter.onStage['Read deployment settings'] = () =>
      reporter.abort('cancel');

    const outcome = await testProvider().deploy(deploymentRequest(), reporter);

    expect(outcome).toEqual({ status: 'failed', reason: 'cancelled' });
    const [run] = fake.state.runs;
    expect(fake.state.cancels).toEqual([run.id]);
    expect(run.conclusion).toBe('cancelled');
    expect(reporter.stages.at(-1)).toEqual({
      name: 'Read deployment settings',
      error: 'stopped following: Cancelled by user:default/alice',
    });
    expect(reporter.lines).toContain('asked GitHub to cancel run #101');
  });

  it('a cancel asked for before anything was dispatched dispatches nothing', async () => {
    const fake = github();
    const reporter = new TestReporter();
    reporter.abort('cancel');

    const outcome = await testProvider().deploy(deploymentRequest(), reporter);

    expect(outcome).toEqual({
      status: 'failed',
      reason: 'cancelled before the workflow was dispatched',
    });
    expect(fake.state.dispatches).toEqual([]);
  });

  it('after a restart, finds the run an earlier attempt dispatched (paging through GitHub’s list) instead of dispatching again', async () => {
    const fake = github();
    const request = deploymentRequest();
    const first = new TestReporter();
    first.onStage['Read deployment settings'] = () => first.abort('shutdown');

    const stopped = await testProvider().deploy(request, first);

    expect(stopped).toEqual({
      status: 'failed',
      reason:
        'stopped following run #101 (The backend is shutting down); it goes on on GitHub',
    });
    expect(fake.state.cancels).toEqual([]);
    // Other deployments dispatched since: ours is on the second page.
    for (let i = 0; i < 120; i++) {
      fake.addRun({
        display_title: `Deploy ${i} to production (deployment other-${i})`,
      });
    }

    const second = new TestReporter();
    const outcome = await testProvider().deploy(request, second);

    expect(outcome).toEqual({ status: 'succeeded' });
    expect(fake.state.dispatches).toHaveLength(1);
    expect(second.lines[0]).toMatch(
      /^run #101 of this deployment exists \((queued|in_progress)\): following it instead of dispatching again$/,
    );
    expect(second.stageNames).toEqual(TEMPLATE_STAGES);
    expect(fake.state.requests).toContainEqual(
      expect.stringMatching(
        /^GET \/repositories\/4242\/actions\/workflows\/161335\/runs\?.*page=2/,
      ),
    );
  });

  it('dispatches without deployment_id to a workflow that does not declare it, and finds the run by branch and time', async () => {
    const fake = github({
      declaredInputs: ['version', 'environment'],
      runNameCarriesId: false,
      runDetails: 'refused',
    });
    const reporter = new TestReporter();

    const outcome = await testProvider().deploy(deploymentRequest(), reporter);

    expect(outcome).toEqual({ status: 'succeeded' });
    expect(fake.state.dispatches.at(-1)).toEqual({
      ref: 'main',
      inputs: { version: COMMIT, environment: 'production' },
    });
    expect(reporter.lines).toContain(
      'cd.yaml has no deployment_id input: dispatching without it (declare it and use it in run-name so a restarted backend finds the run again)',
    );
    expect(fake.state.runs).toHaveLength(1);
  });

  it('dispatches a branch as itself and a commit sha from the default branch', async () => {
    const fake = github({ branches: ['main', 'feature/login'] });

    await testProvider().deploy(
      deploymentRequest({ ref: 'feature/login', environment: 'preview-login' }),
      new TestReporter(),
    );
    await testProvider().deploy(
      deploymentRequest({ ref: COMMIT.slice(0, 7) }),
      new TestReporter(),
    );

    expect(
      fake.state.dispatches.map(d => [d.ref, d.inputs.environment]),
    ).toEqual([
      ['feature/login', 'preview-login'],
      ['main', 'production'],
    ]);
  });

  it('fails saying why when the workflow does not exist, the run never appears, or the repository is not on GitHub', async () => {
    github({ runDetails: 'refused', listLag: 1_000_000 });

    await expect(
      testProvider({ config: { workflow: 'deploy.yaml' } }).deploy(
        deploymentRequest(),
        new TestReporter(),
      ),
    ).resolves.toEqual({
      status: 'failed',
      reason: expect.stringMatching(
        /^GitHub found no workflow deploy\.yaml in acme\/orders \(or the credentials cannot see it\): Not Found/,
      ),
    });

    const reporter = new TestReporter();
    await expect(
      testProvider({ config: { runLookupTimeoutMs: 200 } }).deploy(
        deploymentRequest(),
        reporter,
      ),
    ).resolves.toEqual({
      status: 'failed',
      reason:
        'The run of cd.yaml did not appear within 0.2 s of its dispatch (deployments.githubActions.runLookupTimeout)',
    });
    expect(reporter.stages).toEqual([
      { name: 'dispatch', error: expect.stringMatching(/did not appear/) },
    ]);

    await expect(
      testProvider().deploy(
        deploymentRequest({
          repository: {
            cloneUrl: 'http://localhost:7007/api/local-git/billing.git',
            defaultBranch: 'main',
          },
        }),
        new TestReporter(),
      ),
    ).resolves.toEqual({
      status: 'failed',
      reason:
        'http://localhost:7007/api/local-git/billing.git is not a GitHub repository: the github-actions provider deploys from GitHub only',
    });
  });

  describe('runtime', () => {
    it('is the serving deployment’s environment URL from GitHub’s Deployments API, with no instances, cached briefly', async () => {
      const fake = github();
      fake.addDeployment('production', [
        { state: 'success', environment_url: 'https://old.example.com' },
        { state: 'inactive' },
      ]);
      fake.addDeployment('production', [
        { state: 'in_progress' },
        { state: 'success', environment_url: 'https://orders.example.com' },
      ]);
      fake.addDeployment('production', [
        { state: 'in_progress' },
        { state: 'failure' },
      ]);
      fake.addDeployment('staging', [
        { state: 'success', environment_url: 'https://staging.example.com' },
      ]);
      const provider = testProvider();

      const runtime = await provider.getRuntime(ENTITY_REF, 'production');

      expect(runtime).toEqual({
        url: 'https://orders.example.com',
        instances: [],
        desiredReplicas: null,
        note: expect.stringMatching(
          /^Runs on GitHub: ccccccc deployed to production at .+; see the environment at https:\/\/github\.com\/acme\/orders\/deployments\/production$/,
        ),
      });
      const requests = fake.state.requests.length;
      await provider.getRuntime(ENTITY_REF, 'production');
      expect(fake.state.requests).toHaveLength(requests);
    });

    it('says so when nothing was deployed, or the entity is not on GitHub', async () => {
      github();
      const provider = testProvider();

      await expect(
        provider.getRuntime(ENTITY_REF, 'preview-login'),
      ).resolves.toEqual({
        url: null,
        instances: [],
        desiredReplicas: null,
        note: 'Runs on GitHub: nothing deployed to preview-login yet',
      });
      await expect(
        provider.getRuntime('component:default/billing', 'production'),
      ).resolves.toMatchObject({
        url: null,
        instances: [],
        note: expect.stringMatching(/no GitHub repository/),
      });
    });

    it('teardown marks the environment’s active deployments inactive', async () => {
      const fake = github();
      const old = fake.addDeployment('preview-login', [{ state: 'inactive' }]);
      const serving = fake.addDeployment('preview-login', [
        { state: 'success', environment_url: 'https://login.preview.example' },
      ]);
      fake.addDeployment('production', [{ state: 'success' }]);
      const provider = testProvider();
      await provider.getRuntime(ENTITY_REF, 'preview-login');

      await provider.teardown(ENTITY_REF, 'preview-login');

      expect(fake.state.statusPosts).toEqual([
        {
          deploymentId: serving.id,
          body: { state: 'inactive', description: 'Torn down from Paved Road' },
        },
      ]);
      expect(old.statuses).toHaveLength(1);
      await expect(
        provider.getRuntime(ENTITY_REF, 'preview-login'),
      ).resolves.toMatchObject({
        url: null,
        note: expect.stringMatching(/no active deployment in preview-login/),
      });
    });
  });
});
