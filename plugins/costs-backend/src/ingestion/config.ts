import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ANNOTATION_COST_CENTER } from '@paved-road/plugin-paved-road-common';
import path from 'node:path';

/** A configured billing export location. */
export type CostSource =
  | {
      id: string;
      type: 'focus-csv';
      /** A local CSV file or a directory searched recursively, absolute. */
      path: string;
    }
  | {
      id: string;
      type: 'focus-csv';
      /**
       * Read through the UrlReaderService: one file, a glob (`search`) or a
       * directory (`readTree`).
       */
      url: string;
    };

/** The FOCUS column whose amount is stored. */
export type CostColumn = 'EffectiveCost' | 'BilledCost';

/** Tag keys that allocate a row. */
export interface AllocationTags {
  costCenter: string;
  service: string;
}

/** Everything ingestion reads from `costs.*`. */
export interface IngestionConfig {
  sources: CostSource[];
  schedule: SchedulerServiceTaskScheduleDefinition;
  costColumn: CostColumn;
  tags: AllocationTags;
}

const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Every 30 minutes, first run shortly after startup. */
export const DEFAULT_INGESTION_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 30 },
    timeout: { minutes: 15 },
    initialDelay: { seconds: 10 },
  };

/** Default tag naming the catalog entity a resource belongs to. */
export const DEFAULT_SERVICE_TAG = 'paved-road.io/service';
/** Default tag naming the cost center: the same key as the annotation. */
export const DEFAULT_COST_CENTER_TAG = ANNOTATION_COST_CENTER;

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
      const key = `costs.sources[${i}]`;
      const id = source.getString('id');
      if (!SOURCE_ID.test(id)) {
        throw new InputError(
          `${key}.id '${id}' must be lowercase letters, digits and dashes`,
        );
      }
      const type = source.getString('type');
      if (type !== 'focus-csv') {
        throw new InputError(
          `${key}.type '${type}' is not supported, use 'focus-csv'`,
        );
      }
      const localPath = source.getOptionalString('path');
      const url = source.getOptionalString('url');
      if ((localPath === undefined) === (url === undefined)) {
        throw new InputError(`${key} needs either path or url, not both`);
      }
      if (url !== undefined) {
        if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
          throw new InputError(`${key}.url '${url}' is not an absolute URL`);
        }
        return { id, type, url };
      }
      return { id, type, path: path.resolve(cwd, localPath!) };
    },
  );
  const ids = sources.map(s => s.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) {
    throw new InputError(`costs.sources has the id '${duplicate}' twice`);
  }
  return sources;
}

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

/** Reads `costs.ingestion.costColumn`, EffectiveCost unless told. */
export function readCostColumn(config: Config): CostColumn {
  const column =
    config.getOptionalString('costs.ingestion.costColumn') ?? 'EffectiveCost';
  if (column !== 'EffectiveCost' && column !== 'BilledCost') {
    throw new InputError(
      `costs.ingestion.costColumn '${column}' must be EffectiveCost or BilledCost`,
    );
  }
  return column;
}

/** Reads `costs.allocation.tags`. */
export function readAllocationTags(config: Config): AllocationTags {
  const read = (name: keyof AllocationTags, fallback: string) => {
    const value =
      config.getOptionalString(`costs.allocation.tags.${name}`) ?? fallback;
    if (value.trim() === '') {
      throw new InputError(`costs.allocation.tags.${name} must not be empty`);
    }
    return value.trim();
  };
  return {
    costCenter: read('costCenter', DEFAULT_COST_CENTER_TAG),
    service: read('service', DEFAULT_SERVICE_TAG),
  };
}

/** Reads every ingestion key; a mistake fails startup. */
export function readIngestionConfig(
  config: Config,
  cwd?: string,
): IngestionConfig {
  return {
    sources: readCostSources(config, cwd),
    schedule: readIngestionSchedule(config),
    costColumn: readCostColumn(config),
    tags: readAllocationTags(config),
  };
}
