export interface Config {
  pavedRoad?: {
    audit?: {
      /**
       * Service principals that may write audit events to
       * `POST /api/paved-road/audit/events`.
       * @default ["plugin:scaffolder", "plugin:deployments", "plugin:costs", "plugin:catalog", "plugin:templates"]
       */
      writers?: string[];
      /**
       * Most rows one `GET /api/paved-road/audit/export.csv` returns.
       * @default 50000
       */
      exportRowLimit?: number;
    };
    hygiene?: {
      /**
       * How long a computed hygiene report is served before it is read from
       * the catalog again, in seconds.
       * @default 5
       */
      cacheSeconds?: number;
    };
  };
}
