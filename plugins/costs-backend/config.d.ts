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
  };
}
