import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError, stringifyError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ANNOTATION_BUSINESS_UNIT,
  ANNOTATION_COST_CENTER,
  ANNOTATION_OWNERSHIP_PROBLEMS,
  HygieneGroup,
  HygieneItem,
  HygieneProblem,
  HygieneReport,
  HygieneSeverity,
  classifyHygieneMessage,
  indexGroups,
  isBusinessUnit,
  readOwnershipProblems,
  resolveBusinessUnit,
} from '@paved-road/plugin-paved-road-common';
import { SettingsErrorsClient } from './SettingsErrorsClient';
import { UnprocessedEntitiesClient } from './UnprocessedEntitiesClient';

// What the ownership processor judges: owned kinds and business-unit Groups
const KINDS = ['component', 'resource', 'system', 'api', 'group'];
const FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.annotations',
  'spec.owner',
  'spec.system',
  'spec.parent',
  'spec.type',
  'status',
];
const PROCESSING_STATUS = 'backstage.io/catalog-processing';

type ErrorLike = { name?: string; message?: string };

/**
 * The hygiene list, derived from the catalog's own processing errors: the
 * Paved Road ownership processor reports every problem as an input error
 * naming its field, which the catalog keeps on the stored entity
 * (`status.items`) or, for an entity it has never stored, in the
 * unprocessed-entities API. In `warn` enforcement the processor keeps them
 * on the stored entity's `paved-road.io/ownership-problems` annotation
 * instead, listed here as warnings. Projects whose `deploy/paved-road.yaml` is
 * invalid come from the deployments plugin. Computed on demand and cached
 * for a few seconds.
 */
export class CatalogHygieneReporter {
  #cached?: { report: HygieneReport; expiresAt: number };
  #computing?: Promise<HygieneReport>;
  #warnedNoModule = false;
  #warnedNoDeployments = false;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      unprocessed: Pick<UnprocessedEntitiesClient, 'listNeverStored'>;
      settingsErrors: Pick<SettingsErrorsClient, 'listSettingsErrors'>;
      logger: LoggerService;
      cacheTtlMs: number;
      now?: () => Date;
    },
  ) {}

  async getReport(): Promise<HygieneReport> {
    const now = this.#now();
    if (this.#cached && this.#cached.expiresAt > now.getTime()) {
      return this.#cached.report;
    }
    // Concurrent page loads share one computation
    if (!this.#computing) {
      this.#computing = this.#compute(now)
        .then(report => {
          this.#cached = {
            report,
            expiresAt: this.#now().getTime() + this.options.cacheTtlMs,
          };
          return report;
        })
        .finally(() => {
          this.#computing = undefined;
        });
    }
    return this.#computing;
  }

  async #compute(now: Date): Promise<HygieneReport> {
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const [stored, neverStored, settingsErrors] = await Promise.all([
      this.#readStored(catalog, credentials),
      this.#readNeverStored(),
      this.#readSettingsErrors(),
    ]);
    const groups = indexGroups(stored);
    const systems = new Map(
      stored
        .filter(e => e.kind.toLocaleLowerCase('en-US') === 'system')
        .map(e => [stringifyEntityRef(e).toLocaleLowerCase('en-US'), e]),
    );
    const updatedAt = now.toISOString();
    const items: Array<{ businessUnit: string | null; item: HygieneItem }> = [];

    for (const entity of stored) {
      const problems = [
        ...problemsOf(processingErrors(entity), 'error'),
        ...problemsOf(
          readOwnershipProblems(
            entity.metadata.annotations?.[ANNOTATION_OWNERSHIP_PROBLEMS],
          ).map(message => ({ message })),
          'warning',
        ),
      ];
      if (problems.length > 0) {
        items.push(
          describe(entity, problems, {
            inCatalog: true,
            source: entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? null,
            updatedAt,
            groups,
            systems,
          }),
        );
      }
    }
    for (const row of neverStored) {
      const problems = problemsOf(row.errors ?? [], 'error');
      if (problems.length > 0 && row.unprocessed_entity?.metadata) {
        items.push(
          describe(row.unprocessed_entity, problems, {
            inCatalog: false,
            source: row.location_key ?? null,
            updatedAt,
            groups,
            systems,
            // The catalog's own form, when the raw entity is odd
            entityRef: row.entity_ref,
          }),
        );
      }
    }

    // An invalid deployment descriptor: one more problem of a listed
    // entity, else an item of its own.
    const listed = new Map(
      items.map(({ item }) => [
        item.entityRef.toLocaleLowerCase('en-US'),
        item,
      ]),
    );
    const unlisted = settingsErrors.filter(
      e => !listed.has(e.entityRef.toLocaleLowerCase('en-US')),
    );
    const entities = await this.#readProjects(
      unlisted.map(e => e.entityRef),
      stored,
      credentials,
    );
    for (const error of settingsErrors) {
      const ref = error.entityRef.toLocaleLowerCase('en-US');
      const problem: HygieneProblem = {
        code: 'invalid-deployment-settings',
        severity: 'error',
        message: error.message,
        commitSha: error.commitSha,
        detectedAt: error.detectedAt,
      };
      const item = listed.get(ref);
      if (item) {
        item.problems.push(problem);
        continue;
      }
      const entity = entities.get(ref);
      // Gone from the catalog: no project left to fix (the deployments
      // plugin keeps its row)
      if (!entity) {
        continue;
      }
      const entry = describe(entity, [problem], {
        inCatalog: true,
        source: entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? null,
        updatedAt,
        groups,
        systems,
      });
      listed.set(ref, entry.item);
      items.push(entry);
    }
    return { groups: groupByBusinessUnit(items) };
  }

  /** The stored entities of these refs: from the stream, else the catalog. */
  async #readProjects(
    refs: string[],
    stored: Entity[],
    credentials: Awaited<ReturnType<AuthService['getOwnServiceCredentials']>>,
  ): Promise<Map<string, Entity>> {
    const wanted = new Set(refs.map(r => r.toLocaleLowerCase('en-US')));
    const found = new Map<string, Entity>();
    for (const entity of stored) {
      const ref = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
      if (wanted.has(ref)) {
        found.set(ref, entity);
      }
    }
    // Projects of a kind the stream leaves out
    const missing = [...wanted].filter(r => !found.has(r));
    if (missing.length > 0) {
      const { items } = await this.options.catalog.getEntitiesByRefs(
        { entityRefs: missing, fields: FIELDS },
        { credentials },
      );
      for (const entity of items) {
        if (entity) {
          found.set(
            stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
            entity,
          );
        }
      }
    }
    return found;
  }

  async #readStored(
    catalog: CatalogService,
    credentials: Awaited<ReturnType<AuthService['getOwnServiceCredentials']>>,
  ): Promise<Entity[]> {
    const entities: Entity[] = [];
    for await (const page of catalog.streamEntities(
      { filter: { kind: KINDS }, fields: FIELDS, pageSize: 1000 },
      { credentials },
    )) {
      entities.push(...page);
    }
    return entities;
  }

  async #readNeverStored() {
    try {
      return await this.options.unprocessed.listNeverStored();
    } catch (error) {
      if (error instanceof NotFoundError) {
        // Stored entities' problems are still worth showing
        if (!this.#warnedNoModule) {
          this.#warnedNoModule = true;
          this.options.logger.warn(
            `Hygiene lists stored entities only: ${stringifyError(error)}`,
          );
        }
        return [];
      }
      throw error;
    }
  }

  async #readSettingsErrors() {
    try {
      return await this.options.settingsErrors.listSettingsErrors();
    } catch (error) {
      if (error instanceof NotFoundError) {
        // Without the deployments plugin there are no descriptors to check
        if (!this.#warnedNoDeployments) {
          this.#warnedNoDeployments = true;
          this.options.logger.info(
            `Hygiene lists no deployment settings problems: ${stringifyError(
              error,
            )}`,
          );
        }
        return [];
      }
      throw error;
    }
  }

  #now() {
    return this.options.now?.() ?? new Date();
  }
}

function processingErrors(entity: Entity): ErrorLike[] {
  const { status } = entity as Entity & {
    status?: {
      items?: Array<{
        type?: string;
        level?: string;
        message?: string;
        error?: ErrorLike;
      }>;
    };
  };
  const items = status?.items ?? [];
  return items
    .filter(i => i.type === PROCESSING_STATUS && i.level === 'error')
    .map(i => i.error ?? { message: i.message });
}

function problemsOf(
  errors: ErrorLike[],
  severity: HygieneSeverity,
): HygieneProblem[] {
  const problems: HygieneProblem[] = [];
  for (const error of errors) {
    if (error.name !== undefined && error.name !== 'InputError') {
      continue;
    }
    const message = String(error.message ?? '');
    const code = classifyHygieneMessage(message);
    if (code) {
      problems.push({ code, severity, message });
    }
  }
  return problems;
}

function describe(
  entity: Entity,
  problems: HygieneProblem[],
  context: {
    inCatalog: boolean;
    source: string | null;
    updatedAt: string;
    groups: ReturnType<typeof indexGroups>;
    systems: Map<string, Entity>;
    entityRef?: string;
  },
): { businessUnit: string | null; item: HygieneItem } {
  const namespace = entity.metadata.namespace ?? 'default';
  const annotations = entity.metadata.annotations ?? {};
  const entityRef = safeStringify(entity) ?? context.entityRef ?? '';
  const owner = ownerOf(entity, context.systems);
  const isUnit =
    entity.kind?.toLocaleLowerCase('en-US') === 'group' &&
    isBusinessUnit(entity);

  let businessUnit: string | null = null;
  if (isUnit) {
    businessUnit = entityRef.toLocaleLowerCase('en-US');
  } else if (context.inCatalog && annotations[ANNOTATION_BUSINESS_UNIT]) {
    businessUnit =
      annotations[ANNOTATION_BUSINESS_UNIT].toLocaleLowerCase('en-US');
  } else if (owner) {
    const resolved = resolveBusinessUnit(owner, context.groups, {
      defaultNamespace: namespace,
    });
    businessUnit = resolved.ok ? resolved.value.businessUnit : null;
  }

  return {
    businessUnit,
    item: {
      entityRef,
      title:
        typeof entity.metadata.title === 'string'
          ? entity.metadata.title
          : entity.metadata.name,
      owner: owner ?? null,
      costCenter: annotations[ANNOTATION_COST_CENTER] || null,
      problems,
      updatedAt: context.updatedAt,
      inCatalog: context.inCatalog,
      source: context.source,
    },
  };
}

/** `spec.owner`, else the owner of its `spec.system`, as written. */
function ownerOf(entity: Entity, systems: Map<string, Entity>) {
  const owner = entity.spec?.owner;
  if (typeof owner === 'string' && owner.trim()) {
    return owner;
  }
  const system = entity.spec?.system;
  if (typeof system !== 'string' || !system) {
    return undefined;
  }
  try {
    const ref = stringifyEntityRef(
      parseEntityRef(system, {
        defaultKind: 'system',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
    const systemOwner = systems.get(ref)?.spec?.owner;
    return typeof systemOwner === 'string' ? systemOwner : undefined;
  } catch {
    return undefined;
  }
}

function safeStringify(entity: Entity): string | undefined {
  try {
    return stringifyEntityRef(entity);
  } catch {
    return undefined;
  }
}

/** Groups sorted by business-unit ref, the unresolved (`null`) one last. */
export function groupByBusinessUnit(
  entries: Array<{ businessUnit: string | null; item: HygieneItem }>,
): HygieneGroup[] {
  const groups = new Map<string | null, HygieneGroup>();
  for (const { businessUnit, item } of entries) {
    let group = groups.get(businessUnit);
    if (!group) {
      group = { businessUnit, items: [] };
      groups.set(businessUnit, group);
    }
    group.items.push(item);
  }
  return [...groups.values()]
    .map(g => ({
      ...g,
      items: g.items.sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
    }))
    .sort((a, b) => {
      if (a.businessUnit === b.businessUnit) return 0;
      if (a.businessUnit === null) return 1;
      if (b.businessUnit === null) return -1;
      return a.businessUnit.localeCompare(b.businessUnit);
    });
}
