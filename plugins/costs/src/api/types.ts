import type {
  BudgetReport,
  CostEstimate,
  DailyCost,
  EntityCostReport,
  RollupGroupBy,
  RollupItem,
  RollupResponse,
} from '@paved-road/plugin-costs-common';

/** @public What the explorer asks `GET /rollups` for. */
export interface RollupQuery {
  groupBy: RollupGroupBy;
  /** First and last UTC day, `YYYY-MM-DD`, both included. */
  from: string;
  to: string;
  /**
   * Restricts the roll-up to one group of a coarser dimension, as
   * `<dimension>:<key>`, e.g. `business-unit:group:default/payments`.
   */
  filter?: string;
  /** Asks for a daily series per group, for the stacked chart. */
  daily?: boolean;
}

/** @public A roll-up row, with its daily series when one was asked for. */
export type RollupItemWithDaily = RollupItem & { daily?: DailyCost[] };

/** @public The roll-up as the explorer reads it. */
export type RollupReport = Omit<RollupResponse, 'items' | 'unallocated'> & {
  items: RollupItemWithDaily[];
  unallocated: RollupResponse['unallocated'] & { daily?: DailyCost[] };
};

/**
 * @public
 * The month-end forecast of an entity: an amount, or an object carrying one
 * (the backend may add how it was computed).
 */
export type EntityCostForecast =
  | number
  | { amount?: number; monthEnd?: number; total?: number; forecast?: number };

/** @public An entity's cost report with its estimate, forecast and budget. */
export type EntityCostReportWithPlan = EntityCostReport & {
  /** From the current deployment settings; null when it has none. */
  estimate?: CostEstimate | null;
  forecast?: EntityCostForecast | null;
  /** Budget status of the entity's cost center. */
  budget?: BudgetReport | null;
};

/** @public One rejected row of an ingested file. */
export interface RejectedRow {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  reason: string;
}

/** @public The last ingestion of one billing export. */
export interface IngestionRun {
  source: string;
  /** File or URL that was read. */
  location?: string;
  /** ISO 8601. */
  ingestedAt?: string;
  status?: string;
  acceptedRows?: number;
  rejectedRows?: RejectedRow[];
  /** Why the whole file was refused, when it was. */
  message?: string;
}

/** @public Body of `GET /ingestions`. */
export interface IngestionStatus {
  items: IngestionRun[];
}
