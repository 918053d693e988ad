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
  /**
   * Cost center the entity is billed to (its annotation, else its business
   * unit's default), or null when the catalog names none.
   */
  costCenter: string | null;
  /**
   * Run-rate forecast of the month of `to`: `monthToDate` spread over the
   * days of that month up to `to`, times the days of the month.
   */
  forecast: number;
  /**
   * Monthly estimate from the entity's current deployment settings and the
   * price sheet (month of `to`); null when the entity has no settings. An
   * estimate, not a bill: a new service shows it before its first bill.
   */
  estimate: CostEstimate | null;
  /** The budget of `costCenter` this month; null without a cost center. */
  budget: BudgetReport | null;
}

/** @public One line of an estimate's breakdown (per region). */
export interface CostEstimateLine {
  cluster: string;
  region: string;
  replicas: number;
  /** vCPU-hours and GiB-hours in the month. */
  cpuHours: number;
  memoryGiBHours: number;
  pricePerCpuHour: number;
  pricePerGiBHour: number;
  cpuCost: number;
  memoryCost: number;
  total: number;
}

/**
 * @public
 * Monthly estimate of deployment settings from the configured price sheet:
 * replicas × regions × (CPU + memory) × hours of the month.
 */
export interface CostEstimate {
  currency: string;
  /** The month the hours are counted for, `YYYY-MM`. */
  month: string;
  hoursInMonth: number;
  monthlyTotal: number;
  lines: CostEstimateLine[];
}

/** @public Body of `POST /api/costs/estimate`. */
export interface CostEstimateRequest {
  /** Deployment settings (the one schema of `@paved-road/plugin-paved-road-common`). */
  settings: unknown;
  /** Month to count hours for, `YYYY-MM`; defaults to the current month. */
  month?: string;
}

/** @public Budget status of a cost center (or business unit) for a month. */
export type BudgetStatus = 'on-track' | 'at-risk' | 'over' | 'no-budget';

/** @public What a budget is set for. */
export type BudgetScope = 'cost-center' | 'business-unit';

/** @public A monthly budget, as set through the API. */
export interface Budget {
  /** `cost-center` (e.g. `CC-1001`) or `business-unit` (a Group ref). */
  scope: 'cost-center' | 'business-unit';
  key: string;
  /** Monthly amount in `currency`. */
  amount: number;
  currency: string;
  /** Who set it (entity ref) and when (ISO 8601). */
  updatedBy: string;
  updatedAt: string;
}

/** @public Month-to-date, forecast and budget of one cost center or business unit. */
export interface BudgetReport {
  scope: 'cost-center' | 'business-unit';
  key: string;
  currency: string;
  /** `YYYY-MM`. */
  month: string;
  monthToDate: number;
  /** Forecast of the month's total (run rate of the days so far). */
  forecast: number;
  budget: Budget | null;
  status: BudgetStatus;
}

/** @public Body of `PUT /api/costs/budgets/:scope/:key`. */
export interface SetBudgetRequest {
  amount: number;
  currency: string;
  /** Why, kept in the budget's history and the audit trail. */
  message?: string;
}

/** @public Dimensions the explorer rolls cost up by. */
export type RollupGroupBy =
  | 'business-unit'
  | 'cost-center'
  | 'team'
  | 'service';

/** @public One row of a roll-up. */
export interface RollupItem {
  /** The group's key: a business-unit or team Group ref, a cost center, a service entity ref. */
  key: string;
  /** The catalog entity behind the key, when there is one. */
  entityRef: string | null;
  title: string;
  total: number;
  /** Total of the previous period of the same length. */
  previousTotal: number;
}

/** @public Body of `GET /api/costs/rollups`. */
export interface RollupResponse {
  currency: string;
  groupBy: RollupGroupBy;
  /** The `filter` the roll-up is narrowed to, e.g. `business-unit:group:default/payments`. */
  filter: string | null;
  from: IsoDate;
  to: IsoDate;
  /** The previous period of the same length, which `previousTotal` covers. */
  previousFrom: IsoDate;
  previousTo: IsoDate;
  /** Largest `total` first. */
  items: RollupItem[];
  /**
   * Cost this grouping cannot place, never dropped: charges tagged to no
   * service (for `cost-center` and `business-unit`, only those without a
   * cost center either) and charges of services the catalog does not know
   * (for `team` and `business-unit`).
   */
  unallocated: { total: number; previousTotal: number };
}

/** @public Body of `GET /api/costs/budgets`: every budget and every known cost center. */
export interface BudgetListResponse {
  items: BudgetReport[];
}

/** @public One change of a budget, as kept in its history. */
export interface BudgetChange {
  scope: BudgetScope;
  key: string;
  /** The amount before the change; null when the budget was first set. */
  previousAmount: number | null;
  previousCurrency: string | null;
  amount: number;
  currency: string;
  /** Entity ref of who changed it. */
  changedBy: string;
  /** ISO 8601. */
  changedAt: string;
  message: string | null;
}

/** @public Body of `GET /api/costs/budgets/:scope/:key/history`, newest first. */
export interface BudgetHistoryResponse {
  items: BudgetChange[];
}

/**
 * @public
 * Body of `GET /api/costs/rollups/daily`: the daily series behind a stacked
 * chart, for the groups named in `keys` plus everything else.
 */
export interface RollupDailyResponse {
  currency: string;
  from: IsoDate;
  to: IsoDate;
  /** Every day from `from` to `to`, in order. */
  days: IsoDate[];
  /**
   * One series per requested key (in the order asked), then `other` (every
   * group not asked for, when there is any) and `unallocated`; `amounts[i]`
   * is the cost on `days[i]`.
   */
  series: Array<{
    key: string;
    kind: 'group' | 'other' | 'unallocated';
    amounts: number[];
  }>;
}
