import { LoggerService, UrlReaderService } from '@backstage/backend-plugin-api';
import { CostStore } from '../database/CostStore';
import { Allocator } from './allocation';
import { CostColumn, CostSource } from './config';
import { ExportFile, listSourceFiles } from './exportFiles';
import { FocusFileRejectedError, readFocusCsv } from './focusCsv';

/** What one ingestion run did, as `<sourceId>:<file>`. */
export interface IngestionSummary {
  ingested: string[];
  unchanged: string[];
  /** Refused whole; recorded with their reasons, previous rows kept. */
  rejected: string[];
  /** Could not be read (network, permissions): retried next run. */
  failed: string[];
}

export interface CostIngesterOptions {
  store: CostStore;
  logger: LoggerService;
  urlReader: UrlReaderService;
  sources: CostSource[];
  costColumn: CostColumn;
  allocator: Allocator;
  /** Refreshed at the start of each run, e.g. the catalog's resource ids. */
  resourceOwners?: { refresh(): Promise<void> };
  /** Injected so tests can pin "today" for the date range check. */
  now?: () => Date;
}

/**
 * Brings the store up to date with the configured billing exports: files
 * unchanged since their last run (sha256 or etag) are skipped, the others
 * replace what was stored for them in one transaction each. A rejected or
 * unreadable file is recorded or logged and does not stop the others.
 *
 * Files removed from a source keep their rows: export folders are often
 * pruned to a retention window, and history must survive that.
 */
export class CostIngester {
  constructor(private readonly options: CostIngesterOptions) {}

  async ingestAll(signal?: AbortSignal): Promise<IngestionSummary> {
    const { logger, resourceOwners } = this.options;
    const summary: IngestionSummary = {
      ingested: [],
      unchanged: [],
      rejected: [],
      failed: [],
    };
    if (resourceOwners) {
      try {
        await resourceOwners.refresh();
      } catch (error) {
        logger.warn(
          'Could not read cloud resource ids from the catalog; allocating with the ones read before',
          toError(error),
        );
      }
    }
    for (const source of this.options.sources) {
      if (signal?.aborted) {
        break;
      }
      await this.#ingestSource(source, summary, signal);
    }
    logger.info(
      `Cost ingestion: ${summary.ingested.length} file(s) ingested, ` +
        `${summary.unchanged.length} unchanged, ${summary.rejected.length} rejected, ` +
        `${summary.failed.length} unreadable`,
    );
    return summary;
  }

  async #ingestSource(
    source: CostSource,
    summary: IngestionSummary,
    signal?: AbortSignal,
  ) {
    const { logger, urlReader } = this.options;
    const where = 'path' in source ? source.path : source.url;
    let listing;
    try {
      listing = await listSourceFiles(source, urlReader, signal);
    } catch (error) {
      summary.failed.push(`${source.id}:`);
      logger.error(
        `Cost source '${source.id}' cannot be read at ${where}`,
        toError(error),
      );
      return;
    }
    try {
      for (const file of listing.files) {
        if (signal?.aborted) {
          return;
        }
        const name = `${source.id}:${file.key}`;
        try {
          summary[await this.#ingestFile(source, file, name)].push(name);
        } catch (error) {
          summary.failed.push(name);
          logger.error(`Cost file ${name} could not be read`, toError(error));
        }
      }
    } finally {
      await listing.close();
    }
  }

  async #ingestFile(
    source: CostSource,
    file: ExportFile,
    name: string,
  ): Promise<'ingested' | 'unchanged' | 'rejected'> {
    const { store, logger, costColumn, allocator } = this.options;
    const ids = { sourceId: source.id, filePath: file.key };
    const previous = await store.getIngestedFile(ids);
    const opened = await file.open(previous);
    if (opened === 'unchanged') {
      await store.markUnchanged(ids);
      return 'unchanged';
    }

    const now = this.options.now?.() ?? new Date();
    const { items, result } = readFocusCsv(opened.text, {
      costColumn,
      allocator,
      now,
    });
    const outcome = () => ({
      fileSha256: opened.sha256(),
      etag: opened.etag,
      rejectedCount: result.rejectedCount,
      rejected: result.rejected,
    });
    try {
      const { rowCount } = await store.replaceFile({ ...ids, items, outcome });
      const rejected =
        result.rejectedCount > 0
          ? `, ${result.rejectedCount} row(s) rejected`
          : '';
      logger.info(`Ingested ${rowCount} cost rows from ${name}${rejected}`);
    } catch (error) {
      opened.text.destroy();
      if (!(error instanceof FocusFileRejectedError)) {
        throw error;
      }
      await store.recordRejectedFile({ ...ids, outcome: outcome() });
      logger.warn(`Cost file ${name} ${error.message}`);
      return 'rejected';
    }
    if (result.warningCount > 0) {
      const first = result.firstWarnings
        .map(w => `line ${w.line}: ${w.reason}`)
        .join('; ');
      logger.warn(
        `${name}: ${result.warningCount} row(s) not allocated as tagged (${first})`,
      );
    }
    return 'ingested';
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
