import { DatabaseService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { migrateCostsDatabase } from '../migrateCostsDatabase';
import {
  CostLineItem,
  CostStore,
  DailyCostSum,
  FileOutcome,
  IngestedFile,
  RejectedRow,
} from './CostStore';

// 11 columns a row: far below SQLite's and PostgreSQL's bind parameter limits
const INSERT_BATCH_SIZE = 500;

type LineItemRow = {
  source_id: string;
  row_key: string;
  file_path: string;
  charge_date: string;
  entity_ref: string | null;
  cost_center: string | null;
  charge_category: string | null;
  service_name: string | null;
  resource_id: string | null;
  amount: string;
  currency: string;
};

type IngestionRow = {
  source_id: string;
  file_path: string;
  file_sha256: string;
  etag: string | null;
  status: 'ingested' | 'rejected';
  row_count: number;
  rejected_count: number;
  rejected: string | null;
  ingested_at: Date | string | number;
  checked_at: Date | string | number | null;
};

/** Knex-backed {@link CostStore}, on SQLite or PostgreSQL. */
export class DatabaseCostStore implements CostStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseCostStore> {
    return new DatabaseCostStore(await migrateCostsDatabase(options.database));
  }

  private constructor(private readonly db: Knex) {}

  async getIngestedFile(options: {
    sourceId: string;
    filePath: string;
  }): Promise<IngestedFile | undefined> {
    const row = await this.db<IngestionRow>('cost_ingestions')
      .where({ source_id: options.sourceId, file_path: options.filePath })
      .first();
    return row ? toIngestedFile(row) : undefined;
  }

  async replaceFile(options: {
    sourceId: string;
    filePath: string;
    items: Iterable<CostLineItem> | AsyncIterable<CostLineItem>;
    outcome: () => FileOutcome;
  }): Promise<{ rowCount: number }> {
    const { sourceId, filePath, items } = options;
    return this.db.transaction(async trx => {
      await trx('cost_line_items')
        .where({ source_id: sourceId, file_path: filePath })
        .delete();

      let rowCount = 0;
      let batch: LineItemRow[] = [];
      const flush = async () => {
        if (batch.length > 0) {
          await trx('cost_line_items')
            .insert(batch)
            .onConflict(['source_id', 'row_key'])
            .ignore();
          batch = [];
        }
      };
      for await (const item of items) {
        batch.push(toLineItemRow(sourceId, filePath, item));
        rowCount += 1;
        if (batch.length >= INSERT_BATCH_SIZE) {
          await flush();
        }
      }
      await flush();

      const outcome = options.outcome();
      await trx('cost_ingestions')
        .insert({
          source_id: sourceId,
          file_path: filePath,
          ...outcomeColumns(outcome),
          status: 'ingested',
          row_count: rowCount,
          ingested_at: new Date(),
          checked_at: null,
        })
        .onConflict(['source_id', 'file_path'])
        .merge();

      return { rowCount };
    });
  }

  async recordRejectedFile(options: {
    sourceId: string;
    filePath: string;
    outcome: FileOutcome;
  }): Promise<void> {
    const { sourceId, filePath, outcome } = options;
    // row_count and ingested_at are left alone on conflict: they describe
    // the earlier version's rows, which stay
    const now = new Date();
    await this.db('cost_ingestions')
      .insert({
        source_id: sourceId,
        file_path: filePath,
        ...outcomeColumns(outcome),
        status: 'rejected',
        row_count: 0,
        ingested_at: now,
        checked_at: now,
      })
      .onConflict(['source_id', 'file_path'])
      .merge([
        'file_sha256',
        'etag',
        'status',
        'rejected_count',
        'rejected',
        'checked_at',
      ]);
  }

  async markUnchanged(options: {
    sourceId: string;
    filePath: string;
  }): Promise<void> {
    await this.db('cost_ingestions')
      .where({ source_id: options.sourceId, file_path: options.filePath })
      .update({ checked_at: new Date() });
  }

  async listIngestedFiles(): Promise<IngestedFile[]> {
    const rows = await this.db<IngestionRow>('cost_ingestions').orderBy([
      { column: 'source_id', order: 'asc' },
      { column: 'file_path', order: 'asc' },
    ]);
    return rows.map(toIngestedFile);
  }

  async getDailyCosts(options: {
    entityRef: string;
    from: string;
    to: string;
  }): Promise<DailyCostSum[]> {
    // charge_date is a YYYY-MM-DD string, so string order is date order
    const rows = (await this.db('cost_line_items')
      .select('charge_date', 'currency')
      .sum({ amount: 'amount' })
      .where('entity_ref', options.entityRef)
      .whereBetween('charge_date', [options.from, options.to])
      .groupBy('charge_date', 'currency')
      .orderBy([
        { column: 'charge_date', order: 'asc' },
        { column: 'currency', order: 'asc' },
      ])) as Array<{
      charge_date: string;
      currency: string;
      amount: string | number | null;
    }>;
    // PostgreSQL returns numeric sums as strings, SQLite as numbers
    return rows.map(r => ({
      date: r.charge_date,
      currency: r.currency,
      amount: Number(r.amount ?? 0),
    }));
  }

  async getLastIngestedAt(): Promise<Date | undefined> {
    const row = await this.db('cost_ingestions')
      .where({ status: 'ingested' })
      .orWhere('row_count', '>', 0)
      .max({ last: 'ingested_at' })
      .first();
    return row?.last ? toDate(row.last) : undefined;
  }
}

function toLineItemRow(
  sourceId: string,
  filePath: string,
  item: CostLineItem,
): LineItemRow {
  return {
    source_id: sourceId,
    row_key: item.rowKey,
    file_path: filePath,
    charge_date: item.chargeDate,
    entity_ref: item.entityRef,
    cost_center: item.costCenter,
    charge_category: item.chargeCategory,
    service_name: item.serviceName,
    resource_id: item.resourceId,
    amount: item.amount,
    currency: item.currency,
  };
}

function outcomeColumns(outcome: FileOutcome) {
  return {
    file_sha256: outcome.fileSha256,
    etag: outcome.etag,
    rejected_count: outcome.rejectedCount,
    rejected:
      outcome.rejected.length > 0 ? JSON.stringify(outcome.rejected) : null,
  };
}

function toIngestedFile(row: IngestionRow): IngestedFile {
  return {
    sourceId: row.source_id,
    filePath: row.file_path,
    fileSha256: row.file_sha256,
    etag: row.etag ?? null,
    status: row.status,
    rowCount: Number(row.row_count),
    rejectedCount: Number(row.rejected_count),
    rejected: row.rejected ? (JSON.parse(row.rejected) as RejectedRow[]) : [],
    ingestedAt: toDate(row.ingested_at),
    checkedAt: row.checked_at ? toDate(row.checked_at) : undefined,
  };
}

// PostgreSQL gives Date objects; SQLite gives back epoch milliseconds or,
// for values written by the database itself, 'YYYY-MM-DD HH:MM:SS' in UTC.
function toDate(value: Date | string | number): Date {
  if (value instanceof Date) {
    return value;
  }
  if (typeof value === 'number') {
    return new Date(value);
  }
  if (/^\d+$/.test(value)) {
    return new Date(Number(value));
  }
  return new Date(value.includes('T') ? value : `${value.replace(' ', 'T')}Z`);
}
