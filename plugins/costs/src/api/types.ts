import type { RollupGroupBy } from '@paved-road/plugin-costs-common';

/** @public What the explorer asks `GET /rollups` for. */
export interface RollupQuery {
  groupBy: RollupGroupBy;
  /** First and last UTC day, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  /**
   * Narrows the roll-up to one group of another dimension, as
   * `<dimension>:<key>`, e.g. `business-unit:group:default/payments`.
   */
  filter?: string;
}

/** @public What the explorer asks `GET /rollups/daily` for. */
export interface RollupDailyQuery extends RollupQuery {
  /** The groups to draw a series each for; the rest are summed as `other`. */
  keys: string[];
}

/** @public One rejected row of an ingested file. */
export interface RejectedRow {
  /** Line of the file (the header is line 1). */
  line: number;
  reason: string;
}

/** @public What became of one billing export file. */
export interface IngestionStatusItem {
  sourceId: string;
  /** Path relative to the source's directory, or the file's URL. */
  file: string;
  /** When the current version was ingested or rejected, ISO 8601. */
  ingestedAt: string;
  /** When a later run last found it unchanged, ISO 8601, or null. */
  checkedAt: string | null;
  /** Rows stored for the file now. */
  rowCount: number;
  rejectedCount: number;
  /** The first rejected rows of the current version. */
  rejected: RejectedRow[];
  /**
   * `ingested` by the last run, `unchanged` since, or `rejected` whole (the
   * rows of the version before stay).
   */
  status: 'ingested' | 'rejected' | 'unchanged';
}

/** @public Body of `GET /ingestions`. */
export interface IngestionStatusResponse {
  items: IngestionStatusItem[];
}
