import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import path from 'node:path';

/** A configured billing export location, with its path made absolute. */
export interface CostSource {
  id: string;
  type: 'focus-csv';
  /** A CSV file, or a directory searched recursively for *.csv(.gz). */
  path: string;
}

const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Reads `costs.sources`. Relative paths resolve against the working
 * directory, which is `packages/backend` for `yarn start`.
 */
export function readCostSources(
  config: Config,
  cwd: string = process.cwd(),
): CostSource[] {
  const sources = (config.getOptionalConfigArray('costs.sources') ?? []).map(
    (source, i): CostSource => {
      const id = source.getString('id');
      if (!SOURCE_ID.test(id)) {
        throw new InputError(
          `costs.sources[${i}].id '${id}' must be lowercase letters, digits and dashes`,
        );
      }
      const type = source.getString('type');
      if (type !== 'focus-csv') {
        throw new InputError(
          `costs.sources[${i}].type '${type}' is not supported, use 'focus-csv'`,
        );
      }
      return { id, type, path: path.resolve(cwd, source.getString('path')) };
    },
  );
  const ids = sources.map(s => s.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) {
    throw new InputError(`costs.sources has the id '${duplicate}' twice`);
  }
  return sources;
}

/** Every 30 minutes, first run shortly after startup. */
export const DEFAULT_INGESTION_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 30 },
    timeout: { minutes: 15 },
    initialDelay: { seconds: 10 },
  };

/** Reads `costs.ingestion.schedule`, falling back to the default. */
export function readIngestionSchedule(
  config: Config,
): SchedulerServiceTaskScheduleDefinition {
  const key = 'costs.ingestion.schedule';
  return config.has(key)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(key),
      )
    : DEFAULT_INGESTION_SCHEDULE;
}

const CURRENCY = /^[A-Z]{3}$/;

/** Reads `costs.defaultCurrency`, the currency of reports without data. */
export function readDefaultCurrency(config: Config): string {
  const currency = config.getOptionalString('costs.defaultCurrency') ?? 'EUR';
  if (!CURRENCY.test(currency)) {
    throw new InputError(
      `costs.defaultCurrency '${currency}' is not an ISO 4217 code like EUR`,
    );
  }
  return currency;
}
