import { HttpAuthService } from '@backstage/backend-plugin-api';
import {
  Budget,
  BudgetHistoryResponse,
  BudgetListResponse,
  BudgetReport,
} from '@paved-road/plugin-costs-common';
import express from 'express';
import Router from 'express-promise-router';
import { BudgetService, parseBudgetTarget } from '../budgets/BudgetService';

/** Budgets: reports for everyone signed in, changes for those allowed. */
export function createBudgetsRouter(options: {
  httpAuth: HttpAuthService;
  budgets: BudgetService;
}): express.Router {
  const { httpAuth, budgets } = options;
  const router = Router();
  router.use(express.json({ limit: '16kb' }));

  router.get('/budgets', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const body: BudgetListResponse = { items: await budgets.listReports() };
    res.json(body);
  });

  // Business-unit keys are entity refs (`group:default/payments`): the
  // route takes the rest of the path so the `/` needs no encoding
  router.get('/budgets/:scope/:key(*)/history', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { scope, key } = parseBudgetTarget(req.params.scope, req.params.key);
    const body: BudgetHistoryResponse = {
      items: await budgets.history(scope, key),
    };
    res.json(body);
  });

  router.get('/budgets/:scope/:key(*)', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { scope, key } = parseBudgetTarget(req.params.scope, req.params.key);
    const body: BudgetReport = await budgets.getReport(scope, key);
    res.json(body);
  });

  router.put('/budgets/:scope/:key(*)', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const { scope, key } = parseBudgetTarget(req.params.scope, req.params.key);
    const body: Budget = await budgets.setBudget({
      scope,
      key,
      body: req.body,
      credentials,
    });
    res.json(body);
  });

  return router;
}
