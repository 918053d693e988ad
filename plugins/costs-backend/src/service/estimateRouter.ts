import { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { CostEstimate } from '@paved-road/plugin-costs-common';
import express from 'express';
import Router from 'express-promise-router';
import { estimateCost, parseMonth, parseSettings } from '../estimates/estimate';
import { PriceSheet } from '../estimates/priceSheet';

/** `POST /estimate`: the monthly cost of deployment settings. */
export function createEstimateRouter(options: {
  httpAuth: HttpAuthService;
  priceSheet: PriceSheet | undefined;
  now: () => Date;
}): express.Router {
  const { httpAuth, priceSheet, now } = options;
  const router = Router();
  router.use(express.json({ limit: '64kb' }));

  router.post('/estimate', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const settings = parseSettings(req.body?.settings);
    const month = parseMonth(req.body?.month, now());
    if (!priceSheet) {
      throw new NotFoundError(
        'No price sheet is configured (costs.priceSheet), so there are no estimates',
      );
    }
    const body: CostEstimate = estimateCost({
      settings,
      sheet: priceSheet,
      month,
    });
    res.json(body);
  });

  return router;
}
