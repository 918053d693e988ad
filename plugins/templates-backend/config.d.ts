export interface Config {
  /** Configuration of the templates plugin (`/api/templates`). */
  templates?: {
    /** Upgrades of generated projects to newer template versions. */
    upgrades?: {
      /**
       * Upgrade jobs one backend replica runs at once. Each renders the
       * template through the scaffolder's dry run and merges with git.
       * @default 2
       */
      concurrency?: number;
      /**
       * Seconds without a heartbeat after which a running job counts as
       * abandoned (its replica died) and another replica resumes it.
       * @default 120
       */
      staleAfterSeconds?: number;
      /**
       * Claims before a job whose replicas keep dying ends as failed.
       * @default 3
       */
      maxAttempts?: number;
    };
    /**
     * Template health (`/api/templates/health`): how the collector runs and
     * the thresholds of each template's verdict. A template is `failing`
     * when the latest result of a self-test of its latest version failed
     * or its success rate is below `failingSuccessRate`; `degraded` below
     * `degradedSuccessRate`, when fewer than `degradedDeployRate` of its
     * deployed projects last deployed successfully, or with
     * `degradedReports` reports on its latest version; else `healthy`.
     */
    health?: {
      /**
       * Minutes between two runs of the collector, which copies finished
       * scaffolder tasks, the catalog's templates and projects and their
       * latest deployments (one replica at a time).
       * @default 10
       */
      collectEveryMinutes?: number;
      /**
       * Days of tasks and reports the verdict looks at; the figures shown
       * cover all time.
       * @default 30
       */
      windowDays?: number;
      /**
       * Finished tasks (completed or failed) in the window below which the
       * success rate does not count towards the verdict.
       * @default 5
       */
      minTasks?: number;
      /**
       * Success rate (0..1) below which a template is degraded.
       * @default 0.9
       */
      degradedSuccessRate?: number;
      /**
       * Success rate (0..1) below which a template is failing; at most
       * `degradedSuccessRate`.
       * @default 0.5
       */
      failingSuccessRate?: number;
      /**
       * Projects with a deployment below which the deployment rate does not
       * count towards the verdict.
       * @default 3
       */
      minDeployedProjects?: number;
      /**
       * Share (0..1) of a template's deployed projects whose latest
       * deployment succeeded, below which it is degraded.
       * @default 0.8
       */
      degradedDeployRate?: number;
      /**
       * Reports on the latest version within the window from which a
       * template is degraded.
       * @default 3
       */
      degradedReports?: number;
    };
  };
}
