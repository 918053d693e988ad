import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  costsReportReadPermission,
  EntityCostReport,
} from '@paved-road/plugin-costs-common';
import { CostStore } from '../database/CostStore';
import { buildEntityCostReport, chooseCurrency } from './buildEntityCostReport';
import { parseDateRange, startOfMonth } from './dateRange';
import { ExtendEntityReport } from './entityReportExtras';

export interface EntityCostReportDeps {
  permissions: PermissionsService;
  store: CostStore;
  /** Currency of a report for an entity without any cost data. */
  defaultCurrency: string;
  /** Adds the forecast, estimate and budget to a report of actual cost. */
  extendReport: ExtendEntityReport;
  now: () => Date;
}

const CURRENCY = /^[A-Z]{3}$/;

/**
 * The cost report of one entity as the caller may read it: daily actual
 * cost over `from`..`to` (default: this month), month to date, forecast,
 * the estimate from its deployment settings and its cost center's budget.
 * `GET /entities/:namespace/:kind/:name/costs` and the `get-project-costs`
 * action both answer with it. Errors name the field.
 */
export async function readEntityCostReport(
  deps: EntityCostReportDeps,
  request: {
    entityRef: string;
    from?: unknown;
    to?: unknown;
    currency?: unknown;
  },
  credentials: BackstageCredentials,
): Promise<EntityCostReport> {
  const { permissions, store, defaultCurrency, extendReport, now } = deps;
  const { entityRef } = request;
  const range = parseDateRange({ from: request.from, to: request.to }, now());
  const requestedCurrency = request.currency;
  if (
    requestedCurrency !== undefined &&
    (typeof requestedCurrency !== 'string' || !CURRENCY.test(requestedCurrency))
  ) {
    throw new InputError('currency must be an ISO 4217 code like EUR');
  }

  const [decision] = await permissions.authorize(
    [{ permission: costsReportReadPermission, resourceRef: entityRef }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(`You may not read the costs of ${entityRef}`);
  }

  // One query covers both the range and the month-to-date of its last day
  const monthStart = startOfMonth(range.to);
  const [sums, lastIngestedAt] = await Promise.all([
    store.getDailyCosts({
      entityRef,
      from: monthStart < range.from ? monthStart : range.from,
      to: range.to,
    }),
    store.getLastIngestedAt(),
  ]);
  const currency = chooseCurrency({
    sums: sums.filter(s => s.date >= range.from),
    requested: requestedCurrency as string | undefined,
    fallback: defaultCurrency,
  });

  return extendReport(
    buildEntityCostReport({
      entityRef,
      range,
      currency,
      sums,
      lastIngestedAt,
    }),
  );
}
