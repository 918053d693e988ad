/**
 * Shapes of the costs API, shared by the backend that serves them and the
 * frontend that reads them.
 */

/** @public A calendar day (UTC) as `YYYY-MM-DD`. */
export type IsoDate = string;

/** @public The cost of one entity on one day. */
export interface DailyCost {
  /** The UTC day the charges started on, `YYYY-MM-DD`. */
  date: IsoDate;
  /** Sum of the day's charges in the report's currency; 0 when there were none. */
  amount: number;
}

/** @public Actual (ingested) cost of one catalog entity over a date range. */
export interface EntityCostReport {
  /** Lowercase entity ref, e.g. `component:default/orders-service`. */
  entityRef: string;
  /** ISO 4217 code every amount in this report is in, e.g. `EUR`. */
  currency: string;
  /** First day of the range, inclusive. */
  from: IsoDate;
  /** Last day of the range, inclusive. */
  to: IsoDate;
  /** One entry per day from `from` to `to`, in order, zero-filled. */
  daily: DailyCost[];
  /** Sum of `daily`. */
  total: number;
  /** Sum from the first day of the month of `to` up to and including `to`. */
  monthToDate: number;
  /**
   * When billing data last changed (ISO 8601 timestamp), or null when
   * nothing was ever ingested. Costs after this instant are not known yet.
   */
  lastIngestedAt: string | null;
}
