import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { entityRefFromPathParams } from '@paved-road/plugin-paved-road-common';
import express from 'express';
import Router from 'express-promise-router';
import { CostStore } from '../database/CostStore';
import { readEntityCostReport } from './entityCostReport';
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

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { httpAuth } = options;
  const deps = { ...options, now: options.now ?? (() => new Date()) };
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

    res.json(
      await readEntityCostReport(
        deps,
        {
          entityRef,
          from: req.query.from,
          to: req.query.to,
          currency: req.query.currency,
        },
        credentials,
      ),
    );
  });

  return router;
}
