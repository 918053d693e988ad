import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the Paved Road costs plugin. */
  costs?: {
    /**
     * Billing exports to ingest actual cost from. Without any, the API
     * serves empty reports.
     */
    sources?: Array<{
      /**
       * Stable id of the source, lowercase letters, digits and dashes. Rows
       * are keyed by it: renaming a source ingests its files again.
       */
      id: string;
      /** Format of the export. Only FinOps FOCUS 1.x CSV for now. */
      type: 'focus-csv';
      /**
       * A CSV file, or a directory searched recursively for `*.csv` and
       * `*.csv.gz`. Relative paths resolve against the backend's working
       * directory (`packages/backend` under `yarn start`).
       */
      path: string;
    }>;
    /** How billing exports are ingested. */
    ingestion?: {
      /**
       * How often the sources are scanned. Unchanged files are skipped, so
       * frequent runs are cheap. Runs never overlap, even across replicas.
       *
       * @default { frequency: { minutes: 30 }, timeout: { minutes: 15 }, initialDelay: { seconds: 10 } }
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
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
