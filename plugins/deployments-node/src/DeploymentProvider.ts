import type { DeploymentSettings } from '@paved-road/plugin-paved-road-common';

/**
 * What a provider is asked to roll out: one commit of one entity's
 * repository to one environment, with the deployment settings of that
 * commit.
 *
 * @public
 */
export interface DeploymentRequest {
  /** The deployment's id (a UUID), stable across retries and restarts. */
  deploymentId: string;
  /** Lowercase entity ref, e.g. `component:default/orders-service`. */
  entityRef: string;
  /** e.g. `production`, or `preview-<branch>` for an ephemeral environment. */
  environment: string;
  /** The ref that was asked for (a branch, tag or sha), as given. */
  ref: string;
  /** The full commit sha `ref` resolved to: the version being deployed. */
  commitSha: string;
  /** Where the repository is: a clone URL the backend can read. */
  repository: DeploymentRepository;
  /** The settings in `deploy/paved-road.yaml` at `commitSha`. */
  settings: DeploymentSettings;
  /**
   * The commit that serves now in this environment (the last successful
   * deployment), which stays serving if this one fails; undefined for a
   * first deployment.
   */
  previousCommitSha?: string;
}

/** @public */
export interface DeploymentRepository {
  /** `http(s)://…` clone URL, e.g. `http://localhost:7007/api/local-git/orders-service.git`. */
  cloneUrl: string;
  /** `owner/name` on GitHub; undefined for other hosts. */
  githubSlug?: string;
  /** The default branch, e.g. `main`. */
  defaultBranch: string;
}

/**
 * How a provider reports progress. Stages are what the UI shows as steps
 * (`build`, `canary`, `bake`, `promote`, …); log lines are kept in order
 * and streamed to whoever watches.
 *
 * @public
 */
export interface DeploymentReporter {
  /**
   * Runs `fn` as a named stage: its start and end (and failure) are
   * recorded. Stages run one after the other.
   */
  stage<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** One line of output (build output, health check results, …). */
  log(line: string): void;
  /**
   * Aborted when the deployment is cancelled or the backend shuts down
   * (then another runner calls `deploy` again with the same deployment id,
   * and whatever the provider returns to this call is not recorded). It may
   * be aborted already when `deploy` is called: a cancel asked for while no
   * runner held the deployment; clean up what an earlier attempt left and
   * return.
   */
  signal: AbortSignal;
}

/**
 * How a rollout ended. `rolled-back`: the new version was stopped and the
 * previous one still serves; `failed`: nothing was changed, or nothing can
 * be said about what serves (e.g. a build failure before anything started).
 *
 * @public
 */
export type DeploymentOutcome =
  | { status: 'succeeded' }
  | { status: 'failed' | 'rolled-back'; reason: string };

/** @public One running instance of a deployed service. */
export interface RuntimeInstance {
  id: string;
  /** The commit sha it runs. */
  version: string;
  /** Where the instance itself answers, e.g. `http://localhost:41234`. */
  url: string;
  healthy: boolean;
  /** ISO 8601. */
  startedAt: string;
  restarts: number;
}

/** @public What runs for one entity in one environment. */
export interface RuntimeState {
  /** The one stable URL that spreads requests over the healthy instances; null when nothing runs. */
  url: string | null;
  instances: RuntimeInstance[];
  /** Replicas the settings ask for (`settings.replicas`). */
  desiredReplicas: number | null;
  /** A provider that runs fewer than asked (the local runtime's cap) says why. */
  note?: string;
}

/**
 * A deployment provider: the local runtime, GitHub Actions, or one a
 * platform team adds through {@link deploymentProvidersExtensionPoint}.
 *
 * @public
 */
export interface DeploymentProvider {
  /** Matches `deployments.provider` in app-config, e.g. `local`. */
  readonly id: string;
  /**
   * Rolls the request out as `request.settings.rollout` says and resolves
   * with the outcome. Throwing counts as `failed` with the error's message.
   * Must be safe to call again for the same `deploymentId` after a restart
   * (resume, or clean up and start over).
   */
  deploy(
    request: DeploymentRequest,
    reporter: DeploymentReporter,
  ): Promise<DeploymentOutcome>;
  /** What runs now for an entity in an environment (empty when nothing does). */
  getRuntime(entityRef: string, environment: string): Promise<RuntimeState>;
  /** Stops everything that runs for an entity in an environment (deactivation, ephemeral teardown). */
  teardown(entityRef: string, environment: string): Promise<void>;
}
