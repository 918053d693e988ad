export interface Config {
  pavedRoad?: {
    /** How the backend treats HTTP requests and error responses. */
    http?: {
      /**
       * Whether error responses carry stack traces and file paths. Off by
       * default, also on the embedded default (which runs with
       * NODE_ENV=development): set it to true in app-config.local.yaml while
       * debugging. The backend log always has the full error.
       * @default false
       */
      showStackTraces?: boolean;
      /** JSON request bodies of every /api route, parsed before any plugin. */
      jsonBody?: {
        /**
         * Size limit of routes not listed in `routes` (body-parser syntax);
         * larger bodies get 413.
         * @default "100kb"
         */
        limit?: string;
        /**
         * Deepest nesting of objects and arrays; deeper bodies get 400.
         * @default 32
         */
        maxDepth?: number;
        /**
         * Paths with their own limit; the longest matching path wins, and an
         * entry replaces the built-in one for the same path (built in:
         * /api/scaffolder/v2/dry-run 10mb, /api/scaffolder 1mb,
         * /api/paved-road 64kb, /api/deployments 64kb).
         */
        routes?: Array<{ path: string; limit: string }>;
        /**
         * Paths whose bodies are left unread for the plugin to stream.
         * @default ["/api/proxy"]
         */
        passThrough?: string[];
      };
    };
  };
}
