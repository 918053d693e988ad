import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { costsReportReadPermission } from '@paved-road/plugin-costs-common';
import { entityRefFromPathParams } from '@paved-road/plugin-paved-road-common';
import express from 'express';
import Router from 'express-promise-router';
import { CostStore } from '../database/CostStore';
import { buildEntityCostReport, chooseCurrency } from './buildEntityCostReport';
import { parseDateRange, startOfMonth } from './dateRange';
import { ExtendEntityReport } from './entityReportExtras';

export interface RouterOptions {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  store: CostStore;
  /** Currency of a report for an entity without any cost data. */
  defaultCurrency: string;
  /** Adds the forecast, estimate and budget to a report of actual cost. */
  extendReport: ExtendEntityReport;
  /** Injected so tests can pin "today". */
  now?: () => Date;
}

const CURRENCY = /^[A-Z]{3}$/;

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth, permissions, store, defaultCurrency, extendReport } =
    options;
  const now = options.now ?? (() => new Date());
  const router = Router();

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/entities/:namespace/:kind/:name/costs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });

    const entityRef = entityRefFromPathParams(req.params);
    if (!entityRef) {
      throw new InputError(
        'namespace, kind and name must each be a valid entity ref part',
      );
    }
    const range = parseDateRange(
      { from: req.query.from, to: req.query.to },
      now(),
    );
    const requestedCurrency = req.query.currency;
    if (
      requestedCurrency !== undefined &&
      (typeof requestedCurrency !== 'string' ||
        !CURRENCY.test(requestedCurrency))
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
      requested: requestedCurrency,
      fallback: defaultCurrency,
    });

    res.json(
      await extendReport(
        buildEntityCostReport({
          entityRef,
          range,
          currency,
          sums,
          lastIngestedAt,
        }),
      ),
    );
  });

  return router;
}
