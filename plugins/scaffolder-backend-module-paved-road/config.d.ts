export interface Config {
  pavedRoad?: {
    /**
     * Format every cost center must match, as a regular expression. It is
     * always matched against the whole value. Shared with the Paved Road
     * catalog module.
     * @default "^CC-\\d{4,6}$"
     */
    costCenterPattern?: string;
    /**
     * Where `paved-road:publish` publishes new projects. Required: the
     * backend refuses to start without `target`, or when the chosen target
     * cannot work in it (see the module's README, "Configuration").
     */
    publish?: {
      /**
       * `local-git`: bare repositories on this backend's disk
       * (`pavedRoad.localGit`), one machine only. Needs
       * `@paved-road/plugin-local-git-backend` in the same backend,
       * `pavedRoad.localGit.publicRead: true` and a `backend.reading.allow`
       * entry for `pavedRoad.localGit.baseUrl`.
       * `github`: the stock `publish:github` in
       * `pavedRoad.publish.github.owner`, with the `integrations.github`
       * credentials, for production. Needs `github.owner` and an
       * `integrations.github` entry for `github.host`.
       * Required, no default (optional here only so that the module's own
       * start-up check, which says what each target needs, reports it).
       */
      target?: 'local-git' | 'github';
      /** Required with target `github`. */
      github?: {
        /** Organisation or user that owns new repositories. */
        owner?: string;
        /**
         * GitHub host; `integrations.github` must have an entry for it.
         * @default "github.com"
         */
        host?: string;
      };
    };
  };
}
