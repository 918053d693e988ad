import type { BudgetStatus } from '@paved-road/plugin-costs-common';

/** How a budget status reads on chips and in tables. */
export const BUDGET_STATUS_LABELS: Record<BudgetStatus, string> = {
  'on-track': 'On track',
  'at-risk': 'At risk',
  over: 'Over',
  'no-budget': 'No budget',
};
