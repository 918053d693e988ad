import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { CatalogHygieneReporter } from '../hygiene/CatalogHygieneReporter';

/** `GET /hygiene`: the catalog's ownership problems by business unit. */
export function createHygieneRouter(options: {
  httpAuth: HttpAuthService;
  reporter: Pick<CatalogHygieneReporter, 'getReport'>;
}): express.Router {
  const { httpAuth, reporter } = options;
  const router = Router();
  router.get('/hygiene', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await reporter.getReport());
  });
  return router;
}
