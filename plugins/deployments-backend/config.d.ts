import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

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
