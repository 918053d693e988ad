import { DatabaseService, LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { PendingEntitiesSource } from '../processor/PendingEntities';
import { CatalogTableShape, checkCatalogTable } from './catalogTables';

/**
 * The catalog's own table of registered entities, in the same database.
 * Read only. `errors` is '' from registration until the first processing,
 * then the JSON list of that processing's errors ('[]' when clean).
 */
const CATALOG_REFRESH_STATE = 'refresh_state';
const COLUMNS = ['entity_ref', 'errors'];

/**
 * @public
 * Tells from the catalog's `refresh_state` whether an entity is registered
 * and has not failed processing: a Group and the Components it owns that are
 * registered together (e.g. a new team's catalog file) are processed in no
 * particular order, and a Component processed before its owner is stored
 * should not be rejected for it.
 *
 * The table is the catalog's, not a public API, so its shape is checked
 * once: if a catalog upgrade changes it, the module logs that and answers
 * false, i.e. reports the owner as unknown as it would without this.
 */
export class DatabasePendingEntities implements PendingEntitiesSource {
  readonly #client: Knex;
  readonly #logger: LoggerService;
  #readable?: Promise<boolean>;

  static async create(options: {
    database: DatabaseService;
    logger: LoggerService;
  }) {
    return new DatabasePendingEntities(
      await options.database.getClient(),
      options.logger,
    );
  }

  /** For tests, over a client of their own. */
  static fromClient(client: Knex, logger: LoggerService) {
    return new DatabasePendingEntities(client, logger);
  }

  private constructor(client: Knex, logger: LoggerService) {
    this.#client = client;
    this.#logger = logger;
  }

  async isPending(entityRef: string): Promise<boolean> {
    if (!(await this.#isReadable())) {
      return false;
    }
    const row: { errors: string | null } | undefined = await this.#client(
      CATALOG_REFRESH_STATE,
    )
      .first('errors')
      .where({ entity_ref: entityRef.toLocaleLowerCase('en-US') });
    if (!row) {
      return false;
    }
    const errors = row.errors?.trim() ?? '';
    return errors === '' || errors === '[]';
  }

  // Checked on first use, not at startup: the catalog creates its tables
  // when it starts, which may be after this module's init. A missing table
  // or a failed check is asked again by the next call.
  #isReadable(): Promise<boolean> {
    this.#readable ??= this.#checkSchema().then(
      schema => {
        if (schema === 'absent') this.#readable = undefined;
        return schema === 'as-expected';
      },
      error => {
        this.#readable = undefined;
        throw error;
      },
    );
    return this.#readable;
  }

  async #checkSchema(): Promise<CatalogTableShape> {
    const shape = await checkCatalogTable(
      this.#client,
      CATALOG_REFRESH_STATE,
      COLUMNS,
    );
    if (shape === 'changed') {
      this.#logger.warn(
        `The catalog's ${CATALOG_REFRESH_STATE} table does not have the columns ${COLUMNS.join(
          ', ',
        )}; entities registered together with their owner are rejected until the owner is stored`,
      );
    }
    return shape;
  }
}
