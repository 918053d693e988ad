import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the Paved Road deployments backend plugin. */
  deployments?: {
    /**
     * Sample deployment history loaded at startup, for demos and local
     * development only: setting it is the explicit switch. Leave unset (or
     * null) in production. Sample settings versions are stored with
     * `source: sample` and no commit.
     */
    sampleData?: {
      /**
       * Path of the YAML file to load. A relative path resolves against the
       * backend's working directory (packages/backend when started with
       * `yarn start`). Loading is idempotent: entries that already exist are
       * left as they are.
       */
      file: string;
    };

    /**
     * The deployment provider that runs deployments: the id of one a backend
     * module added, e.g. `local`
     * (`@paved-road/plugin-deployments-backend-module-local`) or
     * `github-actions`. No provider is built in: while this is unset the
     * deploy, rollback and runtime routes answer 503. Naming a provider no
     * module added fails the backend's start.
     */
    provider?: string;

    /**
     * The standard (long-lived) environments a project deploys to, in the
     * order the environments list shows them. A deployment names one of
     * these or a preview, `preview-<branch>` of the branch it deploys. Names
     * are lowercase letters, digits and dashes (at most 63) and do not start
     * with `preview-`.
     *
     * @default ["production"]
     */
    environments?: string[];

    /** Preview (ephemeral) environments: one per branch, `preview-<branch>`. */
    previews?: {
      /**
       * How long a preview lives after its last deployment (every
       * deployment to it starts the TTL anew); then the cleanup task tears
       * it down.
       *
       * @default { days: 3 }
       */
      ttl?: HumanDuration | string;
      /**
       * When the cleanup task looks for expired previews (one replica at a
       * time). Defaults to every 5 minutes, first run a minute after start,
       * timeout 10 minutes.
       */
      cleanup?: SchedulerServiceTaskScheduleDefinitionConfig;
    };

    /**
     * How this backend runs deployments. Every replica runs a runner; they
     * claim deployments through the database, so each runs on exactly one.
     */
    runner?: {
      /**
       * How often the runner looks for pending deployments (it also looks
       * at once when this replica queues one).
       *
       * @default { seconds: 2 }
       */
      pollInterval?: HumanDuration | string;
      /**
       * How often a runner renews its claim on a deployment it runs and
       * reads whether someone cancelled it.
       *
       * @default { seconds: 5 }
       */
      heartbeatInterval?: HumanDuration | string;
      /**
       * A claim not renewed for this long is taken as its replica having
       * died: another runner resumes the deployment. At least twice
       * heartbeatInterval.
       *
       * @default { seconds: 30 }
       */
      staleAfter?: HumanDuration | string;
      /**
       * Runs of one deployment (the first and its resumptions) before it
       * ends as failed with "interrupted".
       *
       * @default 3
       */
      maxAttempts?: number;
      /**
       * Deployments this replica runs at once.
       *
       * @default 2
       */
      concurrency?: number;
    };

    /** How settings changes reach the projects' repositories. */
    settings?: {
      /**
       * On GitHub: `commit` updates `deploy/paved-road.yaml` on the default
       * branch directly; `pull-request` opens a pull request and the new
       * version appears once it is merged. Local git always commits.
       * Deactivation always commits.
       *
       * @default commit
       */
      writeMode?: 'commit' | 'pull-request';

      /**
       * How often the repository sync reads each project's descriptor at
       * the head of its default branch and stores changes as versions
       * (one replica at a time). Defaults to every 5 seconds, first run 5
       * seconds after start; raise it for GitHub (API rate limits).
       */
      sync?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
