export interface Config {
  deployments?: {
    /**
     * The local runtime (`deployments.provider: local`): builds a service
     * with Maven on the backend's machine and runs it as JVM processes
     * behind one stable local URL per service and environment.
     */
    local?: {
      /**
       * Where clones, built jars and instance logs go, one directory per
       * deployment. A relative path resolves against the backend's working
       * directory.
       *
       * @default <os temp dir>/paved-road-local-runtime
       */
      workDirectory?: string;

      /**
       * Passes `-DskipTests` to `mvn -B package`. Set to false to run the
       * service's tests in every deployment's build (a failing test fails
       * the deployment before anything serving is touched).
       *
       * @default true
       */
      skipTests?: boolean;

      /**
       * Instances started per service and environment, whatever
       * `replicas` the settings ask for, so a laptop stays usable. The
       * runtime says "2 of 4 replicas run locally" when it caps.
       *
       * @default 2
       */
      maxInstances?: number;

      /**
       * Upper bound of each JVM's heap (`-Xmx`): the settings' `memoryMiB`
       * applies up to this.
       *
       * @default 512
       */
      maxMemoryMiB?: number;

      /**
       * How long a canary is health-checked, while it takes its share of
       * traffic, before the rest of the instances are replaced.
       *
       * @default 10
       */
      bakeSeconds?: number;

      /**
       * How long a new instance may take to answer its health check with
       * 200 before the rollout gives up on it (a Spring Boot service takes
       * 10 to 30 seconds on a small machine).
       *
       * @default 180
       */
      startupTimeoutSeconds?: number;

      /**
       * Ports of the stable per-service URLs (`http://localhost:<port>`),
       * one per service and environment, kept in the database so a
       * service keeps its URL across backend restarts.
       */
      ports?: {
        /** @default 18100 */
        from?: number;
        /** @default 18199 */
        to?: number;
      };
    };
  };
}
