import type {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  DEPLOYMENT_STATUSES,
  FINISHED_DEPLOYMENT_STATUSES,
  type Deployment,
  type DeploymentSettingsVersion,
} from '@paved-road/plugin-deployments-common';
import {
  deploymentSettingsSchema,
  ROLLOUT_STRATEGIES,
} from '@paved-road/plugin-paved-road-common';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { DeploymentsStore } from '../database/DeploymentsStore';

/*
 * The sample file states time as offsets from "now" (`daysAgo`,
 * `durationMinutes`) so a fresh database always shows a recent history. Ids
 * and settings versions are fixed in the file: the store ignores rows it
 * already has, so restarts and parallel replicas never duplicate anything.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;

const entityRefSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][\w.-]*:[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/,
    'must be a full entity ref like component:default/orders-service',
  )
  .transform(ref => ref.toLocaleLowerCase('en-US'));

// Days before the import; fractions allowed (0.5 = 12 hours).
const daysAgoSchema = z.number().min(0).max(3650);

const sampleDeploymentSchema = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, 'must be a lowercase slug'),
    environment: z.string().min(1).max(64),
    // YAML reads `version: 2.0` as the number 2, so insist on quotes.
    version: z
      .string({ error: 'must be a string; quote versions like "2.0"' })
      .min(1)
      .max(64),
    status: z.enum(DEPLOYMENT_STATUSES),
    strategy: z.enum(ROLLOUT_STRATEGIES),
    triggeredBy: entityRefSchema,
    daysAgo: daysAgoSchema,
    durationMinutes: z
      .number()
      .positive()
      .max(24 * 60)
      .optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    const finished = FINISHED_DEPLOYMENT_STATUSES.includes(value.status);
    if (finished && value.durationMinutes === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['durationMinutes'],
        message: `is required for a ${value.status} deployment`,
      });
    }
    if (!finished && value.durationMinutes !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['durationMinutes'],
        message: `must be left out while a deployment is ${value.status}`,
      });
    }
  });

const sampleSettingsVersionSchema = z
  .object({
    version: z.number().int().min(1),
    createdBy: entityRefSchema,
    daysAgo: daysAgoSchema,
    settings: deploymentSettingsSchema,
  })
  .strict();

const sampleServiceSchema = z
  .object({
    entityRef: entityRefSchema,
    settingsVersions: z.array(sampleSettingsVersionSchema).default([]),
    deployments: z.array(sampleDeploymentSchema).default([]),
  })
  .strict();

const sampleFileSchema = z
  .object({ services: z.array(sampleServiceSchema) })
  .strict();

/** Rows a sample file expands to, with absolute timestamps. */
export interface SampleData {
  deployments: Deployment[];
  settingsVersions: DeploymentSettingsVersion[];
}

function formatPath(issuePath: PropertyKey[]): string {
  return issuePath
    .map((part, i) => {
      if (typeof part === 'number') {
        return `[${part}]`;
      }
      return i === 0 ? String(part) : `.${String(part)}`;
    })
    .join('');
}

/** Names the service and deployment an issue is about, as far as known. */
function describeEntry(raw: unknown, issuePath: PropertyKey[]): string {
  const [servicesKey, serviceIndex, listKey, itemIndex] = issuePath;
  if (servicesKey !== 'services' || typeof serviceIndex !== 'number') {
    return '';
  }
  const service = (raw as { services?: any[] })?.services?.[serviceIndex];
  const names: string[] = [];
  if (typeof service?.entityRef === 'string') {
    names.push(service.entityRef);
  }
  const item =
    typeof itemIndex === 'number' && typeof listKey === 'string'
      ? service?.[listKey]?.[itemIndex]
      : undefined;
  if (listKey === 'deployments' && typeof item?.id === 'string') {
    names.push(`deployment ${item.id}`);
  } else if (listKey === 'settingsVersions' && item?.version !== undefined) {
    names.push(`settings version ${item.version}`);
  }
  return names.length ? ` (${names.join(', ')})` : '';
}

function invalid(source: string, detail: string): InputError {
  return new InputError(
    `Invalid deployments sample data in ${source}: ${detail}`,
  );
}

/**
 * Validates a sample file and turns its offsets into timestamps relative to
 * `now`. Throws an InputError naming the first offending entry.
 */
export function parseSampleData(
  yamlText: string,
  options: { now: Date; source: string },
): SampleData {
  const { now, source } = options;

  let raw: unknown;
  try {
    raw = parseYaml(yamlText);
  } catch (error) {
    throw invalid(source, (error as Error).message);
  }

  const result = sampleFileSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw invalid(
      source,
      `${formatPath(issue.path) || 'file'}${describeEntry(raw, issue.path)}: ${
        issue.message
      }`,
    );
  }

  const at = (daysAgo: number, plusMinutes = 0) =>
    new Date(now.getTime() - daysAgo * DAY_MS + plusMinutes * MINUTE_MS);

  const deployments: Deployment[] = [];
  const settingsVersions: DeploymentSettingsVersion[] = [];
  const seenDeploymentIds = new Set<string>();
  const seenServices = new Set<string>();

  for (const service of result.data.services) {
    if (seenServices.has(service.entityRef)) {
      throw invalid(source, `${service.entityRef} is listed twice`);
    }
    seenServices.add(service.entityRef);

    const seenVersions = new Set<number>();
    for (const entry of service.settingsVersions) {
      if (seenVersions.has(entry.version)) {
        throw invalid(
          source,
          `${service.entityRef} has settings version ${entry.version} twice`,
        );
      }
      seenVersions.add(entry.version);
      settingsVersions.push({
        entityRef: service.entityRef,
        version: entry.version,
        settings: entry.settings,
        createdBy: entry.createdBy,
        createdAt: at(entry.daysAgo).toISOString(),
        source: 'sample',
        commitSha: null,
        commitUrl: null,
        message: null,
      });
    }

    for (const entry of service.deployments) {
      if (seenDeploymentIds.has(entry.id)) {
        throw invalid(source, `deployment id ${entry.id} is used twice`);
      }
      seenDeploymentIds.add(entry.id);
      const finishedAt =
        entry.durationMinutes === undefined
          ? null
          : at(entry.daysAgo, entry.durationMinutes).toISOString();
      deployments.push({
        id: entry.id,
        entityRef: service.entityRef,
        environment: entry.environment,
        version: entry.version,
        status: entry.status,
        strategy: entry.strategy,
        triggeredBy: entry.triggeredBy,
        startedAt: at(entry.daysAgo).toISOString(),
        finishedAt,
      });
    }
  }

  return { deployments, settingsVersions };
}

/** Reads, validates and idempotently stores one sample file. */
export async function importSampleData(options: {
  file: string;
  store: DeploymentsStore;
  logger: LoggerService;
  now?: Date;
}): Promise<SampleData> {
  const { store, logger } = options;
  // Relative to the working directory: packages/backend under `yarn start`.
  const file = path.resolve(options.file);

  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(
      `Cannot read deployments sample data ${file}: ${
        (error as Error).message
      }`,
    );
  }

  const data = parseSampleData(text, {
    now: options.now ?? new Date(),
    source: file,
  });
  await store.insertSettingsVersions(data.settingsVersions);
  await store.insertDeployments(data.deployments);

  logger.info(
    `Loaded deployments sample data from ${file}: ${data.deployments.length} deployments, ${data.settingsVersions.length} settings versions (existing entries kept)`,
  );
  return data;
}

/** Imports `deployments.sampleData.file` when it is configured. */
export async function importSampleDataFromConfig(options: {
  config: RootConfigService;
  store: DeploymentsStore;
  logger: LoggerService;
}): Promise<void> {
  const file = options.config.getOptionalString('deployments.sampleData.file');
  if (!file) {
    return;
  }
  await importSampleData({
    file,
    store: options.store,
    logger: options.logger,
  });
}
