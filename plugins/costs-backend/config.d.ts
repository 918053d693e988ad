import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the Paved Road costs plugin. */
  costs?: {
    /**
     * Billing exports to ingest actual cost from. Without any, the API
     * serves empty reports.
     */
    sources?: Array<
      | {
          /**
           * Stable id of the source, lowercase letters, digits and dashes.
           * Rows are keyed by it: renaming a source ingests its files again.
           */
          id: string;
          /** Format of the export: FinOps FOCUS 1.x CSV (1.0 to 1.3). */
          type: 'focus-csv';
          /**
           * A local CSV file, or a directory searched recursively for
           * `*.csv` and `*.csv.gz`. Relative paths resolve against the
           * backend's working directory (`packages/backend` under
           * `yarn start`).
           */
          path: string;
        }
      | {
          /** Stable id of the source, as for a local source. */
          id: string;
          /** Format of the export: FinOps FOCUS 1.x CSV (1.0 to 1.3). */
          type: 'focus-csv';
          /**
           * Read through the backend's UrlReaderService with the
           * `integrations` and `backend.reading.allow` config: the URL of one
           * `.csv`/`.csv.gz` file (streamed, skipped while its etag is
           * unchanged), a URL with a glob such as
           * `https://storage.cloud.google.com/bucket/focus/*` (listed with
           * `search`, each file streamed), or a directory URL (read with
           * `readTree`).
           */
          url: string;
        }
    >;
    /** How billing exports are ingested. */
    ingestion?: {
      /**
       * How often the sources are scanned. Unchanged files are skipped, so
       * frequent runs are cheap. Runs never overlap, even across replicas.
       *
       * @default { frequency: { minutes: 30 }, timeout: { minutes: 15 }, initialDelay: { seconds: 10 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * The FOCUS column whose amount is stored: `EffectiveCost` (amortised,
       * after discounts, the FinOps showback metric) or `BilledCost` (what
       * the invoice says). A file without that column is rejected.
       *
       * @default EffectiveCost
       */
      costColumn?: 'EffectiveCost' | 'BilledCost';
    };
    /** How billing rows are matched to catalog entities. */
    allocation?: {
      /** Tag keys (in the FOCUS `Tags` column) that allocate a row. */
      tags?: {
        /**
         * Tag naming the cost center a resource is billed to.
         *
         * @default paved-road.io/cost-center
         */
        costCenter?: string;
        /**
         * Tag naming the catalog entity (an entity ref, or a bare name
         * meaning a Component in the default namespace).
         *
         * @default paved-road.io/service
         */
        service?: string;
      };
    };
    /**
     * ISO 4217 currency of a report for an entity without cost data; with
     * data, the report uses the currency of the billing export.
     *
     * @default EUR
     */
    defaultCurrency?: string;
    /**
     * Prices of deployment settings, for estimates. Without it there are
     * no estimates (`POST /estimate` answers 404, reports carry none).
     */
    priceSheet?: {
      /** ISO 4217 currency of every price, e.g. `EUR`. */
      currency: string;
      /**
       * Prices by cluster, then by region. The price of a cluster in a
       * region is the first found of: `clusters.<cluster>.<region>`,
       * `clusters.<cluster>.default`, `clusters.default.<region>`,
       * `clusters.default.default`. `clusters.default.default` is required.
       */
      clusters: {
        [cluster: string]: {
          [region: string]: {
            /** Per vCPU (1000 millicores) per hour; at least 0. */
            perVcpuHour: number;
            /** Per GiB (1024 MiB) of memory per hour; at least 0. */
            perGiBHour: number;
          };
        };
      };
    };
    /** The copy of the catalog's organisation that roll-ups join with. */
    dimensions?: {
      /**
       * How often it is refreshed from the catalog (one replica at a time;
       * an unchanged copy is not rewritten).
       *
       * @default { frequency: { seconds: 10 }, timeout: { minutes: 2 }, initialDelay: { seconds: 3 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    budgets?: {
      /**
       * Share of the budget from which a forecast is `at-risk`; above 0,
       * at most 1.
       *
       * @default 0.9
       */
      atRiskRatio?: number;
    };
    /** Notifications to the owning business unit about its budgets. */
    alerts?: {
      /** @default true */
      enabled?: boolean;
      /**
       * How often budgets are checked (one replica at a time; each alert is
       * sent once whatever the schedule).
       *
       * @default { frequency: { minutes: 1 }, timeout: { minutes: 2 }, initialDelay: { seconds: 20 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      /**
       * A day costing more than this many times the average of the seven
       * days before it is a spike; above 1.
       *
       * @default 2
       */
      spikeFactor?: number;
      /**
       * Path of the cost explorer page in the portal, which alerts link to.
       *
       * @default /costs
       */
      explorerPath?: string;
    };
  };
}
