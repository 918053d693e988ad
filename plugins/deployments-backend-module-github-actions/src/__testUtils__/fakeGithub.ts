import { http, HttpResponse } from 'msw';

/**
 * GitHub's REST API for one repository (acme/orders), as msw handlers that
 * answer with GitHub's shapes, status codes and headers
 * (docs.github.com/rest/actions, /rest/deployments): a workflow that can be
 * dispatched, runs that advance one step each time the run or a job is
 * read, jobs with steps, cancel, check-run annotations, Link pagination
 * (on `/repositories/{id}/…` URLs, as GitHub writes them), and rate limits
 * injected in front of any request.
 */

export const API = 'https://api.github.com';
export const OWNER = 'acme';
export const REPO_NAME = 'orders';
const REPO = `${API}/repos/${OWNER}/${REPO_NAME}`;
const REPOSITORY_ID = 4242;
const WORKFLOW_ID = 161335;
export const TOKEN = 'ghs_fake-installation-token';

export interface StepPlan {
  name: string;
  /** How the step ends when it runs; default success. */
  conclusion?: 'success' | 'failure';
  /** `if: failure()`: runs only after a failed step of its job. */
  onFailure?: boolean;
  /** An `::error::` line the step prints when it fails. */
  error?: string;
}

export interface JobPlan {
  name: string;
  steps: StepPlan[];
  /** `if: failure()` on the job: runs only after a failed job. */
  onFailure?: boolean;
}

type Conclusion = 'success' | 'failure' | 'cancelled' | 'skipped' | null;
type Status = 'queued' | 'in_progress' | 'completed';

interface FakeStep {
  plan: StepPlan;
  name: string;
  number: number;
  status: Status;
  conclusion: Conclusion;
  started_at: string | null;
  completed_at: string | null;
}

interface FakeJob {
  plan: JobPlan;
  id: number;
  name: string;
  status: Status;
  conclusion: Conclusion;
  started_at: string;
  completed_at: string | null;
  steps: FakeStep[];
  annotations: string[];
}

export interface FakeRun {
  id: number;
  run_number: number;
  display_title: string;
  head_branch: string;
  head_sha: string;
  event: string;
  status: Status;
  conclusion: Conclusion;
  created_at: string;
  updated_at: string;
  inputs: Record<string, string>;
  jobs: FakeJob[];
  cancelRequested: boolean;
  /** List calls that still do not show it (GitHub lists a new run late). */
  hiddenFromLists: number;
}

/** What a run does, by the inputs it was dispatched with. */
export type Scenario = (inputs: Record<string, string>) => JobPlan[];

const iso = (ms = Date.now()) =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const deployJob = (
  region: string,
  canary: StepPlan['conclusion'],
): JobPlan => ({
  name: `Deploy (${region})`,
  steps: [
    { name: 'Set up job' },
    { name: 'Run actions/checkout@v5' },
    { name: 'Configure cluster access' },
    { name: 'Render manifests from deployment settings' },
    {
      name: 'Canary',
      conclusion: canary,
      error:
        canary === 'failure'
          ? 'Canary failed its health check (/actuator/health answered 503)'
          : undefined,
    },
    { name: 'Roll out' },
    { name: 'Rollback', onFailure: true },
    { name: 'Complete job' },
  ],
});

/** The template's cd.yaml: build, plan, one deploy job per region. */
export function templateRun(
  options: {
    canary?: StepPlan['conclusion'];
    build?: StepPlan['conclusion'];
    regions?: string[];
  } = {},
): Scenario {
  return () => [
    {
      name: 'Build and push image',
      steps: [
        { name: 'Set up job' },
        { name: 'Run actions/checkout@v5' },
        {
          name: 'Verify',
          conclusion: options.build,
          error:
            options.build === 'failure'
              ? 'Failed to execute goal maven-surefire-plugin: There are test failures.'
              : undefined,
        },
        { name: 'Build and push' },
        { name: 'Complete job' },
      ],
    },
    {
      name: 'Read deployment settings',
      steps: [
        { name: 'Set up job' },
        { name: 'Read deploy/paved-road.yaml' },
        { name: 'Complete job' },
      ],
    },
    ...(options.regions ?? ['eu-west-1']).map(region =>
      deployJob(region, options.canary),
    ),
  ];
}

export function fakeGithub(
  options: {
    scenario?: Scenario;
    /** Inputs the workflow declares; others are refused with 422. */
    declaredInputs?: string[];
    /** Whether the workflow's run-name carries `deployment_id`. */
    runNameCarriesId?: boolean;
    /**
     * `return_run_details`: GitHub.com answers 200 with the run's id (since
     * February 2026, the default here); older GitHub Enterprise Server
     * refuses the field with 422.
     */
    runDetails?: 'returned' | 'refused';
    /** List calls that do not yet show a new run. */
    listLag?: number;
    branches?: string[];
  } = {},
) {
  const declared = options.declaredInputs ?? [
    'version',
    'environment',
    'deployment_id',
  ];
  const state = {
    scenario: options.scenario ?? templateRun(),
    runs: [] as FakeRun[],
    dispatches: [] as any[],
    cancels: [] as number[],
    /** `METHOD /path?query` of every request, in order. */
    requests: [] as string[],
    /** When each of `requests` came, in ms. */
    requestTimes: [] as number[],
    authorization: new Set<string | null>(),
    /** Answers to give before the real one, to requests `match` selects. */
    interruptions: [] as {
      match: (method: string, path: string) => boolean;
      respond: () => Response;
    }[],
    deployments: [] as {
      id: number;
      sha: string;
      environment: string;
      created_at: string;
      statuses: {
        id: number;
        state: string;
        environment_url: string;
        created_at: string;
        description: string;
      }[];
    }[],
    statusPosts: [] as { deploymentId: number; body: any }[],
  };
  let nextId = 9_000_000;

  const headers = (extra: Record<string, string> = {}) => ({
    date: new Date().toUTCString(),
    'x-github-api-version-selected': '2022-11-28',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4321',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    ...extra,
  });
  const json = (body: unknown, status = 200, extra?: Record<string, string>) =>
    HttpResponse.json(body as any, { status, headers: headers(extra) });
  const error = (
    status: number,
    message: string,
    doc = 'https://docs.github.com/rest',
  ) =>
    json({ message, documentation_url: doc, status: String(status) }, status);

  /** `Link` header and page slice for `items`, as GitHub paginates. */
  function paginate<T>(url: URL, items: T[], linkPath: string) {
    const perPage = Math.min(
      Number(url.searchParams.get('per_page') ?? 30),
      100,
    );
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const next = new URL(`${API}${linkPath}`);
      url.searchParams.forEach((v, k) => next.searchParams.set(k, v));
      next.searchParams.set('page', String(p));
      return `<${next.href}>; rel="${rel}"`;
    };
    const links = [];
    if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    return {
      slice: items.slice((page - 1) * perPage, page * perPage),
      extra: links.length ? { link: links.join(', ') } : undefined,
    };
  }

  function runJson(run: FakeRun) {
    const url = `${REPO}/actions/runs/${run.id}`;
    return {
      id: run.id,
      name: 'CD',
      node_id: `WFR_${run.id}`,
      display_title: run.display_title,
      head_branch: run.head_branch,
      head_sha: run.head_sha,
      path: '.github/workflows/cd.yaml',
      run_number: run.run_number,
      run_attempt: 1,
      event: run.event,
      status: run.status,
      conclusion: run.conclusion,
      workflow_id: WORKFLOW_ID,
      url,
      html_url: `https://github.com/${OWNER}/${REPO_NAME}/actions/runs/${run.id}`,
      jobs_url: `${url}/jobs`,
      cancel_url: `${url}/cancel`,
      created_at: run.created_at,
      updated_at: run.updated_at,
      run_started_at: run.created_at,
      repository: { id: REPOSITORY_ID, full_name: `${OWNER}/${REPO_NAME}` },
    };
  }

  function jobJson(run: FakeRun, job: FakeJob) {
    return {
      id: job.id,
      run_id: run.id,
      run_url: `${REPO}/actions/runs/${run.id}`,
      run_attempt: 1,
      node_id: `CR_${job.id}`,
      head_sha: run.head_sha,
      head_branch: run.head_branch,
      url: `${REPO}/actions/jobs/${job.id}`,
      html_url: `https://github.com/${OWNER}/${REPO_NAME}/actions/runs/${run.id}/job/${job.id}`,
      status: job.status,
      conclusion: job.conclusion,
      created_at: run.created_at,
      started_at: job.started_at,
      completed_at: job.completed_at,
      name: job.name,
      steps:
        job.status === 'queued'
          ? []
          : job.steps.map(({ plan, ...step }) => step),
      check_run_url: `${REPO}/check-runs/${job.id}`,
      labels: ['ubuntu-latest'],
      runner_id: job.status === 'queued' ? null : 7,
      runner_name: job.status === 'queued' ? null : 'GitHub Actions 7',
      runner_group_id: job.status === 'queued' ? null : 2,
      runner_group_name: job.status === 'queued' ? null : 'GitHub Actions',
      workflow_name: 'CD',
    };
  }

  /** One step of progress: the run starts, a job starts, a step ends, a job ends. */
  function advance(run: FakeRun) {
    if (run.status === 'completed') return;
    const now = iso();
    run.updated_at = now;
    if (run.status === 'queued') {
      run.status = 'in_progress';
      return;
    }
    const job = run.jobs.find(j => j.status !== 'completed');
    if (run.cancelRequested) {
      for (const j of run.jobs.filter(x => x.status !== 'completed')) {
        const wasRunning = j.status === 'in_progress';
        j.status = 'completed';
        j.conclusion = wasRunning ? 'cancelled' : 'skipped';
        j.completed_at = now;
        for (const s of j.steps.filter(x => x.status !== 'completed')) {
          s.status = 'completed';
          s.conclusion = wasRunning ? 'cancelled' : 'skipped';
        }
      }
      run.status = 'completed';
      run.conclusion = 'cancelled';
      return;
    }
    if (!job) {
      run.status = 'completed';
      run.conclusion = run.jobs.some(j => j.conclusion === 'failure')
        ? 'failure'
        : 'success';
      return;
    }
    const earlierFailed = run.jobs.some(j => j.conclusion === 'failure');
    if (job.status === 'queued') {
      if (earlierFailed !== Boolean(job.plan.onFailure)) {
        job.status = 'completed';
        job.conclusion = 'skipped';
        job.completed_at = now;
        job.steps = [];
        return;
      }
      job.status = 'in_progress';
      job.started_at = now;
      return;
    }
    const step = job.steps.find(s => s.status !== 'completed');
    if (!step) {
      job.status = 'completed';
      job.completed_at = now;
      job.conclusion = job.steps.some(s => s.conclusion === 'failure')
        ? 'failure'
        : 'success';
      return;
    }
    const stepFailedBefore = job.steps.some(s => s.conclusion === 'failure');
    step.status = 'completed';
    step.started_at = now;
    step.completed_at = now;
    if (
      stepFailedBefore !== Boolean(step.plan.onFailure) &&
      step.name !== 'Complete job'
    ) {
      step.conclusion = 'skipped';
      return;
    }
    step.conclusion = step.plan.conclusion ?? 'success';
    if (step.conclusion === 'failure') {
      if (step.plan.error) job.annotations.push(step.plan.error);
      job.annotations.push('Process completed with exit code 1.');
    }
  }

  function createRun(inputs: Record<string, string>, ref: string): FakeRun {
    const id = ++nextId;
    const now = iso();
    const run: FakeRun = {
      id,
      run_number: state.runs.length + 101,
      display_title:
        options.runNameCarriesId !== false && inputs.deployment_id
          ? `Deploy ${inputs.version} to ${inputs.environment} (deployment ${inputs.deployment_id})`
          : 'CD',
      head_branch: ref,
      head_sha: 'b'.repeat(40),
      event: 'workflow_dispatch',
      status: 'queued',
      conclusion: null,
      created_at: now,
      updated_at: now,
      inputs,
      cancelRequested: false,
      hiddenFromLists: options.listLag ?? 1,
      jobs: state.scenario(inputs).map(plan => ({
        plan,
        id: ++nextId,
        name: plan.name,
        status: 'queued' as Status,
        conclusion: null,
        started_at: now,
        completed_at: null,
        annotations: [],
        steps: plan.steps.map((s, i) => ({
          plan: s,
          name: s.name,
          number: i + 1,
          status: 'queued' as Status,
          conclusion: null,
          started_at: null,
          completed_at: null,
        })),
      })),
    };
    state.runs.push(run);
    return run;
  }

  /** A run dispatched earlier (by someone else, or an earlier attempt). */
  function addRun(
    fields: Partial<FakeRun> & { inputs?: Record<string, string> },
  ) {
    const run = createRun(fields.inputs ?? {}, fields.head_branch ?? 'main');
    Object.assign(run, { hiddenFromLists: 0 }, fields);
    return run;
  }

  function findRun(id: unknown) {
    return state.runs.find(r => r.id === Number(id));
  }

  function listRuns(request: Request, linkPath: string) {
    const url = new URL(request.url);
    const event = url.searchParams.get('event');
    const branch = url.searchParams.get('branch');
    const created = url.searchParams.get('created');
    const since = created?.startsWith('>=')
      ? Date.parse(created.slice(2))
      : undefined;
    const matching = state.runs
      .filter(run => {
        if (run.hiddenFromLists > 0) {
          run.hiddenFromLists -= 1;
          return false;
        }
        return (
          (!event || run.event === event) &&
          (!branch || run.head_branch === branch) &&
          (since === undefined || Date.parse(run.created_at) >= since)
        );
      })
      .sort(
        (a, b) =>
          Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id,
      );
    const { slice, extra } = paginate(url, matching, linkPath);
    return json(
      { total_count: matching.length, workflow_runs: slice.map(runJson) },
      200,
      extra,
    );
  }

  const handlers = [
    // Injected answers (rate limits, 5xx) come first; otherwise fall through.
    http.all(`${API}/*`, ({ request }) => {
      const url = new URL(request.url);
      const path = url.pathname;
      state.requests.push(`${request.method} ${path}${url.search}`);
      state.requestTimes.push(Date.now());
      state.authorization.add(request.headers.get('authorization'));
      const index = state.interruptions.findIndex(i =>
        i.match(request.method, path),
      );
      if (index >= 0) {
        return state.interruptions.splice(index, 1)[0].respond();
      }
      return undefined;
    }),

    http.post(
      `${REPO}/actions/workflows/:workflow/dispatches`,
      async ({ request, params }) => {
        if (
          params.workflow !== 'cd.yaml' &&
          params.workflow !== String(WORKFLOW_ID)
        ) {
          return error(
            404,
            'Not Found',
            'https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event',
          );
        }
        const body = (await request.json()) as any;
        state.dispatches.push(body);
        if ('return_run_details' in body && options.runDetails === 'refused') {
          return error(
            422,
            'Invalid request.\n\n"return_run_details" is not a permitted key.',
          );
        }
        const branches = options.branches ?? ['main'];
        if (!branches.includes(body.ref)) {
          return error(422, `No ref found for: ${body.ref}`);
        }
        const unexpected = Object.keys(body.inputs ?? {}).filter(
          k => !declared.includes(k),
        );
        if (unexpected.length > 0) {
          return error(
            422,
            `Unexpected inputs provided: ${JSON.stringify(unexpected)}`,
          );
        }
        const run = createRun(body.inputs ?? {}, body.ref);
        if (body.return_run_details) {
          return json({
            workflow_run_id: run.id,
            run_url: `${REPO}/actions/runs/${run.id}`,
            html_url: `https://github.com/${OWNER}/${REPO_NAME}/actions/runs/${run.id}`,
          });
        }
        return new HttpResponse(null, { status: 204, headers: headers() });
      },
    ),

    http.get(`${REPO}/actions/workflows/:workflow/runs`, ({ request }) =>
      listRuns(
        request,
        `/repositories/${REPOSITORY_ID}/actions/workflows/${WORKFLOW_ID}/runs`,
      ),
    ),
    http.get(
      `${API}/repositories/${REPOSITORY_ID}/actions/workflows/${WORKFLOW_ID}/runs`,
      ({ request }) =>
        listRuns(
          request,
          `/repositories/${REPOSITORY_ID}/actions/workflows/${WORKFLOW_ID}/runs`,
        ),
    ),

    http.get(`${REPO}/actions/runs/:id`, ({ params }) => {
      const run = findRun(params.id);
      if (!run) return error(404, 'Not Found');
      advance(run);
      return json(runJson(run));
    }),

    http.get(`${REPO}/actions/runs/:id/jobs`, ({ request, params }) => {
      const run = findRun(params.id);
      if (!run) return error(404, 'Not Found');
      const url = new URL(request.url);
      const { slice, extra } = paginate(
        url,
        run.jobs,
        `/repositories/${REPOSITORY_ID}/actions/runs/${run.id}/jobs`,
      );
      return json(
        { total_count: run.jobs.length, jobs: slice.map(j => jobJson(run, j)) },
        200,
        extra,
      );
    }),
    http.get(
      `${API}/repositories/${REPOSITORY_ID}/actions/runs/:id/jobs`,
      ({ request, params }) => {
        const run = findRun(params.id)!;
        const { slice, extra } = paginate(
          new URL(request.url),
          run.jobs,
          `/repositories/${REPOSITORY_ID}/actions/runs/${run.id}/jobs`,
        );
        return json(
          {
            total_count: run.jobs.length,
            jobs: slice.map(j => jobJson(run, j)),
          },
          200,
          extra,
        );
      },
    ),

    http.get(`${REPO}/actions/jobs/:id`, ({ params }) => {
      const run = state.runs.find(r =>
        r.jobs.some(j => j.id === Number(params.id)),
      );
      if (!run) return error(404, 'Not Found');
      advance(run);
      return json(
        jobJson(run, run.jobs.find(j => j.id === Number(params.id))!),
      );
    }),

    http.post(`${REPO}/actions/runs/:id/cancel`, ({ params }) => {
      const run = findRun(params.id);
      if (!run) return error(404, 'Not Found');
      if (run.status === 'completed') {
        return error(
          409,
          'Cannot cancel a workflow run that is completed.',
          'https://docs.github.com/rest/actions/workflow-runs#cancel-a-workflow-run',
        );
      }
      state.cancels.push(run.id);
      run.cancelRequested = true;
      return json({}, 202);
    }),

    http.get(`${REPO}/check-runs/:id/annotations`, ({ params }) => {
      const job = state.runs
        .flatMap(r => r.jobs)
        .find(j => j.id === Number(params.id));
      if (!job) return error(404, 'Not Found');
      return json(
        job.annotations.map((message, i) => ({
          path: '.github',
          start_line: i + 1,
          end_line: i + 1,
          annotation_level: 'failure',
          title: '',
          message,
          raw_details: '',
          blob_href: `https://github.com/${OWNER}/${REPO_NAME}/blob/${'b'.repeat(
            40,
          )}/.github`,
        })),
      );
    }),

    http.get(`${REPO}/deployments`, ({ request }) => {
      const url = new URL(request.url);
      const environment = url.searchParams.get('environment');
      const items = state.deployments
        .filter(d => !environment || d.environment === environment)
        .sort((a, b) => b.id - a.id);
      const { slice, extra } = paginate(
        url,
        items,
        `/repositories/${REPOSITORY_ID}/deployments`,
      );
      return json(
        slice.map(d => ({
          id: d.id,
          sha: d.sha,
          ref: 'main',
          task: 'deploy',
          environment: d.environment,
          created_at: d.created_at,
          updated_at: d.created_at,
          statuses_url: `${REPO}/deployments/${d.id}/statuses`,
          creator: { login: 'github-actions[bot]' },
        })),
        200,
        extra,
      );
    }),

    http.get(`${REPO}/deployments/:id/statuses`, ({ request, params }) => {
      const deployment = state.deployments.find(
        d => d.id === Number(params.id),
      );
      if (!deployment) return error(404, 'Not Found');
      const newestFirst = [...deployment.statuses].sort((a, b) => b.id - a.id);
      const { slice, extra } = paginate(
        new URL(request.url),
        newestFirst,
        `/repositories/${REPOSITORY_ID}/deployments/${deployment.id}/statuses`,
      );
      return json(
        slice.map(s => ({
          ...s,
          log_url: '',
          target_url: '',
          deployment_url: `${REPO}/deployments/${deployment.id}`,
        })),
        200,
        extra,
      );
    }),

    http.post(
      `${REPO}/deployments/:id/statuses`,
      async ({ request, params }) => {
        const deployment = state.deployments.find(
          d => d.id === Number(params.id),
        );
        if (!deployment) return error(404, 'Not Found');
        const body = (await request.json()) as any;
        state.statusPosts.push({ deploymentId: deployment.id, body });
        const status = {
          id: ++nextId,
          state: body.state,
          environment_url: body.environment_url ?? '',
          created_at: iso(),
          description: body.description ?? '',
        };
        deployment.statuses.push(status);
        return json(status, 201);
      },
    ),
  ];

  /** The next request `match` selects is answered with a rate limit. */
  function rateLimitNext(
    kind: 'primary' | 'secondary' | 'too-many',
    match: (method: string, path: string) => boolean,
    seconds: number,
  ) {
    state.interruptions.push({
      match,
      respond: () => {
        if (kind === 'primary') {
          return HttpResponse.json(
            {
              message: 'API rate limit exceeded for installation ID 4711.',
              documentation_url:
                'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
            },
            {
              status: 403,
              headers: headers({
                'x-ratelimit-remaining': '0',
                'x-ratelimit-used': '5000',
                'x-ratelimit-reset': String(
                  Math.floor(Date.now() / 1000) + seconds,
                ),
              }),
            },
          );
        }
        return HttpResponse.json(
          {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
            documentation_url:
              'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          },
          {
            status: kind === 'too-many' ? 429 : 403,
            headers: headers({ 'retry-after': String(seconds) }),
          },
        );
      },
    });
  }

  /** The next request `match` selects is answered with a server error. */
  function failNext(
    status: number,
    match: (method: string, path: string) => boolean,
  ) {
    state.interruptions.push({
      match,
      respond: () =>
        new HttpResponse('<html>Unicorn!</html>', {
          status,
          headers: { 'content-type': 'text/html' },
        }),
    });
  }

  function addDeployment(
    environment: string,
    statuses: { state: string; environment_url?: string }[],
  ) {
    const deployment = {
      id: ++nextId,
      sha: 'c'.repeat(40),
      environment,
      created_at: iso(),
      statuses: statuses.map(s => ({
        id: ++nextId,
        state: s.state,
        environment_url: s.environment_url ?? '',
        created_at: iso(),
        description: '',
      })),
    };
    state.deployments.push(deployment);
    return deployment;
  }

  return { state, handlers, addRun, rateLimitNext, failNext, addDeployment };
}
