import { DatabaseService } from '@backstage/backend-plugin-api';
import { HygieneProblem } from '@paved-road/plugin-paved-road-common';
import { Knex } from 'knex';
import { EntityHygiene, HygieneRecord, HygieneStore } from './HygieneStore';
import { getMigratedClient, toDate } from './migrations';

const TABLE = 'paved_road_entity_hygiene';

/**
 * The catalog's own table of registered entities, in the same database. Read
 * only, to tell registered entities (including ones that never processed
 * cleanly and so are not in GET /entities) from validate-entity dry runs and
 * deleted entities, and to tell which of them the catalog stores.
 */
const CATALOG_REFRESH_STATE = 'refresh_state';

// 11 bindings a row: far below SQLite's and PostgreSQL's parameter limits.
const BATCH_SIZE = 200;

type Row = {
  entity_ref: string;
  kind: string;
  namespace: string;
  name: string;
  title: string | null;
  owner: string | null;
  business_unit: string | null;
  cost_center: string | null;
  problems: string;
  updated_at: Date | string | number;
};

/** What the catalog's refresh_state says of a listed entity. */
type CatalogState = {
  in_catalog: number | string;
  location_key: string | null;
};

/** Knex-backed {@link HygieneStore} in the catalog database (SQLite or PostgreSQL). */
export class DatabaseHygieneStore implements HygieneStore {
  readonly #db: Knex;
  // Only a positive answer is cached: on a fresh database this module
  // migrates before the catalog has created its tables.
  #catalogTablesSeen = false;

  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseHygieneStore> {
    return new DatabaseHygieneStore(await getMigratedClient(options.database));
  }

  /** For tests that bring their own migrated client. */
  static fromClient(client: Knex): DatabaseHygieneStore {
    return new DatabaseHygieneStore(client);
  }

  private constructor(db: Knex) {
    this.#db = db;
  }

  async apply(batch: EntityHygiene[], now: Date): Promise<void> {
    const upserts: Row[] = [];
    const cleared: string[] = [];
    for (const entry of batch) {
      if (entry.problems.length === 0) {
        cleared.push(entry.entityRef);
      } else {
        upserts.push(toRow(entry, now));
      }
    }
    await this.#db.transaction(async tx => {
      for (let i = 0; i < upserts.length; i += BATCH_SIZE) {
        await tx<Row>(TABLE)
          .insert(upserts.slice(i, i + BATCH_SIZE))
          .onConflict('entity_ref')
          .merge();
      }
      for (let i = 0; i < cleared.length; i += BATCH_SIZE) {
        await tx<Row>(TABLE)
          .whereIn('entity_ref', cleared.slice(i, i + BATCH_SIZE))
          .delete();
      }
    });
  }

  async list(): Promise<HygieneRecord[]> {
    if (!(await this.#hasCatalogTables())) {
      // Before the catalog has migrated, nothing can be checked.
      const rows: Row[] = await this.#db<Row>(TABLE).orderBy('entity_ref');
      return rows.map(row => fromRow(row, { inCatalog: true, source: null }));
    }
    // The catalog stores an entity once it has processed cleanly: until
    // then it has no page, and this list is where its errors show.
    const rows: Array<Row & CatalogState> = await this.#db<Row>(`${TABLE} as h`)
      .join(`${CATALOG_REFRESH_STATE} as r`, 'r.entity_ref', 'h.entity_ref')
      .select(
        'h.*',
        this.#db.raw(
          'case when r.processed_entity is null then 0 else 1 end as in_catalog',
        ),
        'r.location_key',
      )
      .orderBy('h.entity_ref');
    return rows.map(row =>
      fromRow(row, {
        inCatalog: Number(row.in_catalog) === 1,
        source: row.location_key ?? null,
      }),
    );
  }

  async listRefs(): Promise<string[]> {
    const rows = await this.#db<Row>(TABLE).select('entity_ref');
    return rows.map(row => row.entity_ref);
  }

  async prune(options: { updatedBefore: Date }): Promise<number> {
    let query = this.#db<Row>(TABLE).where(
      'updated_at',
      '<',
      options.updatedBefore,
    );
    if (await this.#hasCatalogTables()) {
      query = query.whereNotExists(
        this.#db(CATALOG_REFRESH_STATE)
          .select(this.#db.raw('1'))
          .whereRaw('?? = ??', [
            `${CATALOG_REFRESH_STATE}.entity_ref`,
            `${TABLE}.entity_ref`,
          ]),
      );
    }
    return await query.delete();
  }

  async #hasCatalogTables(): Promise<boolean> {
    if (!this.#catalogTablesSeen) {
      this.#catalogTablesSeen = await this.#db.schema.hasTable(
        CATALOG_REFRESH_STATE,
      );
    }
    return this.#catalogTablesSeen;
  }
}

function toRow(entry: EntityHygiene, now: Date): Row {
  return {
    entity_ref: entry.entityRef,
    kind: entry.kind,
    namespace: entry.namespace,
    name: entry.name,
    title: cap(entry.title),
    owner: cap(entry.owner),
    business_unit: entry.businessUnit,
    cost_center: cap(entry.costCenter),
    problems: JSON.stringify(
      entry.problems.map(({ code, message }) => ({ code, message })),
    ),
    updated_at: now,
  };
}

// Owner and cost center are whatever the author wrote (the problem may be
// exactly that they are garbage): keep them within the column size.
function cap(value: string | null): string | null {
  return value !== null && value.length > 255
    ? `${value.slice(0, 254)}…`
    : value;
}

function fromRow(
  row: Row,
  catalog: { inCatalog: boolean; source: string | null },
): HygieneRecord {
  return {
    ...catalog,
    entityRef: row.entity_ref,
    kind: row.kind,
    namespace: row.namespace,
    name: row.name,
    title: row.title,
    owner: row.owner,
    businessUnit: row.business_unit,
    costCenter: row.cost_center,
    problems: JSON.parse(row.problems) as HygieneProblem[],
    updatedAt: toDate(row.updated_at),
  };
}
