import { HumanDuration } from '@backstage/types';

export interface Config {
  deployments?: {
    /**
     * The GitHub Actions provider (`deployments.provider: github-actions`):
     * dispatches each project's deployment workflow and follows its run.
     * Credentials come from `integrations.github` (a GitHub App or a token
     * per host), which needs `actions: write` (dispatch, cancel),
     * `deployments: write` (teardown) and read access to the repository.
     */
    githubActions?: {
      /**
       * The workflow to dispatch, by file name in `.github/workflows` (or
       * its numeric id). It takes the inputs `version` (the commit sha),
       * `environment`, and optionally `deployment_id`.
       *
       * @default cd.yaml
       */
      workflow?: string;

      /**
       * How often the run, its jobs and their steps are read while a
       * deployment follows them.
       *
       * @default { seconds: 5 }
       */
      pollInterval?: HumanDuration | string;

      /**
       * How long to look for the run a dispatch started before the
       * deployment fails (GitHub can take a few seconds to list it).
       *
       * @default { minutes: 2 }
       */
      runLookupTimeout?: HumanDuration | string;
    };
  };
}
