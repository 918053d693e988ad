import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { migrateCostsDatabase } from '../migrateCostsDatabase';
import {
  CostCenterDimension,
  Dimensions,
  EntityDimension,
} from './computeDimensions';

// 6 columns a row: far below SQLite's and PostgreSQL's bind parameter limits
const INSERT_BATCH_SIZE = 500;

type EntityRow = {
  entity_ref: string;
  kind: string;
  title: string;
  owner_ref: string | null;
  business_unit_ref: string | null;
  cost_center: string | null;
};

/**
 * The catalog's organisation, copied into the costs database so roll-ups
 * can join it with billing rows in one query.
 */
export class DatabaseDimensionsStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseDimensionsStore> {
    const db = await migrateCostsDatabase(options.database);
    return new DatabaseDimensionsStore(db);
  }

  private constructor(private readonly db: Knex) {}

  /** The hash given to the last {@link replaceAll}, if any. */
  async getHash(): Promise<string | undefined> {
    const row = await this.db('cost_dimensions_refresh')
      .where({ id: 1 })
      .first();
    return row?.hash;
  }

  /** Replaces every row at once: readers see the old or the new copy. */
  async replaceAll(dimensions: Dimensions, hash: string): Promise<void> {
    await this.db.transaction(async trx => {
      await trx('cost_dimensions_refresh')
        .insert({ id: 1, hash, refreshed_at: new Date() })
        .onConflict('id')
        .merge();
      await trx('cost_entity_dimensions').delete();
      await trx('cost_center_dimensions').delete();
      const rows: EntityRow[] = dimensions.entities.map(e => ({
        entity_ref: e.entityRef,
        kind: e.kind,
        title: e.title,
        owner_ref: e.ownerRef,
        business_unit_ref: e.businessUnitRef,
        cost_center: e.costCenter,
      }));
      await trx.batchInsert('cost_entity_dimensions', rows, INSERT_BATCH_SIZE);
      await trx.batchInsert(
        'cost_center_dimensions',
        dimensions.costCenters.map(c => ({
          cost_center: c.costCenter,
          business_unit_ref: c.businessUnitRef,
        })),
        INSERT_BATCH_SIZE,
      );
    });
  }

  async getEntity(entityRef: string): Promise<EntityDimension | undefined> {
    const row = await this.db<EntityRow>('cost_entity_dimensions')
      .where({ entity_ref: entityRef.toLocaleLowerCase('en-US') })
      .first();
    return row
      ? {
          entityRef: row.entity_ref,
          kind: row.kind,
          title: row.title,
          ownerRef: row.owner_ref,
          businessUnitRef: row.business_unit_ref,
          costCenter: row.cost_center,
        }
      : undefined;
  }

  async listCostCenters(): Promise<CostCenterDimension[]> {
    const rows = await this.db('cost_center_dimensions').orderBy('cost_center');
    return rows.map(r => ({
      costCenter: r.cost_center,
      businessUnitRef: r.business_unit_ref,
    }));
  }

  /** The business unit listing a cost center, if any does. */
  async getCostCenterBusinessUnit(
    costCenter: string,
  ): Promise<string | undefined> {
    const row = await this.db('cost_center_dimensions')
      .where({ cost_center: costCenter })
      .first();
    return row?.business_unit_ref;
  }
}
