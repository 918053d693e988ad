export interface Config {
  /** Configuration of the Paved Road deployments backend plugin. */
  deployments?: {
    /**
     * Sample deployment history loaded at startup, for demos and local
     * development. Leave unset in production.
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
  };
}
