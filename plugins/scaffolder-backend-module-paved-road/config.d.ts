export interface Config {
  pavedRoad?: {
    /**
     * Format every cost center must match, as a regular expression. It is
     * always matched against the whole value. Shared with the Paved Road
     * catalog module.
     * @default "^CC-\\d{4,6}$"
     */
    costCenterPattern?: string;
    /** Where `paved-road:publish` publishes new projects. */
    publish?: {
      /**
       * `local-git`: the local git hosting (pavedRoad.localGit), for the
       * embedded default. `github`: the stock publish:github with the
       * `integrations.github` credentials, for production.
       * @default "local-git"
       */
      target?: 'local-git' | 'github';
      /** Used when a template gives `repoName` but no `repoUrl`. */
      github?: {
        /** Organisation or user that owns new repositories. */
        owner?: string;
        /**
         * GitHub host, one of `integrations.github`.
         * @default "github.com"
         */
        host?: string;
      };
    };
  };
}
