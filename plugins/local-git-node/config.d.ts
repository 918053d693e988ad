export interface Config {
  pavedRoad?: {
    /**
     * Local git hosting for the embedded default: bare repositories on this
     * machine's disk, created by the `publish:local-git` scaffolder action and
     * served read-only by the local-git backend plugin. One machine only: do
     * not use it with several backend replicas.
     */
    localGit?: {
      /**
       * Directory holding the bare repositories (`<name>.git`). A relative
       * path resolves against the backend's working directory
       * (packages/backend when started with `yarn start`).
       * @default ".data/git"
       */
      directory?: string;
      /**
       * Public base URL of the hosting: clone URLs are `<baseUrl>/<name>.git`,
       * raw files `<baseUrl>/<name>/raw/<ref>/<path>`.
       * @default "<backend.baseUrl>/api/local-git"
       */
      baseUrl?: string;
      /**
       * Lets anyone clone and read raw files without Backstage credentials,
       * which `git clone` and the catalog's URL reader need. Listing stays
       * behind authentication. Only for a local, single-user setup.
       * @default false
       */
      publicRead?: boolean;
    };
  };
}
