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
  };
}
