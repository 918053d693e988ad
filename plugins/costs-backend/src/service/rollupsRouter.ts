import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { RollupDailyResponse } from '@paved-road/plugin-costs-common';
import express from 'express';
import Router from 'express-promise-router';
import { buildRollupDailyResponse } from '../rollups/buildRollup';
import { DatabaseRollupStore } from '../rollups/DatabaseRollupStore';
import { ReadRollup } from '../rollups/readRollup';
import { parseRollupRequest } from '../rollups/rollupRequest';

/** Most series one daily roll-up draws, besides `other` and `unallocated`. */
export const MAX_DAILY_KEYS = 20;

/** `GET /rollups` and `GET /rollups/daily`: cost by the organisation. */
export function createRollupsRouter(options: {
  httpAuth: HttpAuthService;
  rollups: DatabaseRollupStore;
  readRollup: ReadRollup;
  defaultCurrency: string;
  now: () => Date;
}): express.Router {
  const { httpAuth, rollups, readRollup, defaultCurrency, now } = options;
  const router = Router();

  router.get('/rollups', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await readRollup(req.query));
  });

  router.get('/rollups/daily', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const request = parseRollupRequest(req.query, now());
    const keys = parseKeys(req.query.keys);
    const rows = await rollups.daily({ ...request, keys });
    const body: RollupDailyResponse = buildRollupDailyResponse({
      request,
      keys,
      rows,
      defaultCurrency,
    });
    res.json(body);
  });

  return router;
}

/** `keys=a,b` or `keys=a&keys=b`: the groups to draw a series each for. */
function parseKeys(value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  const list = (Array.isArray(value) ? value : [value]).flatMap(v =>
    typeof v === 'string' ? v.split(',') : [undefined],
  );
  if (list.some(k => k === undefined)) {
    throw new InputError('keys must be a comma separated list of group keys');
  }
  const keys = [...new Set(list.map(k => k!.trim()).filter(Boolean))];
  if (keys.length > MAX_DAILY_KEYS || keys.some(k => k.length > 255)) {
    throw new InputError(
      `keys: at most ${MAX_DAILY_KEYS} keys of at most 255 characters`,
    );
  }
  return keys;
}
