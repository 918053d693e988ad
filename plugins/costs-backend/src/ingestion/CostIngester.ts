import { LoggerService } from '@backstage/backend-plugin-api';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { CostStore } from '../database/CostStore';
import { parseFocusCsv } from './focusCsv';
import { CostSource } from '../config';

/** What one ingestion run did. */
export interface IngestionSummary {
  ingested: string[];
  skipped: string[];
  rejected: string[];
}

const EXPORT_FILE = /\.csv(\.gz)?$/i;

/**
 * Brings the store up to date with the configured billing exports: files
 * whose sha256 is unchanged are skipped, the others replace what was stored
 * for them. A rejected or unreadable file is logged and left as it was, and
 * does not stop the others.
 *
 * Files removed from a source keep their rows: export folders are often
 * pruned to a retention window, and history must survive that.
 */
export class CostIngester {
  constructor(
    private readonly options: {
      store: CostStore;
      logger: LoggerService;
      sources: CostSource[];
    },
  ) {}

  async ingestAll(signal?: AbortSignal): Promise<IngestionSummary> {
    const summary: IngestionSummary = {
      ingested: [],
      skipped: [],
      rejected: [],
    };
    for (const source of this.options.sources) {
      await this.#ingestSource(source, summary, signal);
    }
    this.options.logger.info(
      `Cost ingestion: ${summary.ingested.length} file(s) ingested, ` +
        `${summary.skipped.length} unchanged, ${summary.rejected.length} rejected`,
    );
    return summary;
  }

  async #ingestSource(
    source: CostSource,
    summary: IngestionSummary,
    signal?: AbortSignal,
  ) {
    const { logger } = this.options;
    let files: Array<{ absolute: string; relative: string }>;
    try {
      files = await listExportFiles(source.path);
    } catch (error) {
      logger.error(
        `Cost source '${source.id}' cannot be read at ${source.path}`,
        toError(error),
      );
      return;
    }
    for (const file of files) {
      if (signal?.aborted) {
        return;
      }
      const name = `${source.id}:${file.relative}`;
      try {
        const changed = await this.#ingestFile(source, file);
        (changed ? summary.ingested : summary.skipped).push(name);
      } catch (error) {
        summary.rejected.push(name);
        logger.error(`Cost file ${name} was not ingested`, toError(error));
      }
    }
  }

  async #ingestFile(
    source: CostSource,
    file: { absolute: string; relative: string },
  ): Promise<boolean> {
    const { store, logger } = this.options;
    const fileSha256 = await sha256File(file.absolute);
    const previous = await store.getIngestedFile({
      sourceId: source.id,
      filePath: file.relative,
    });
    if (previous?.fileSha256 === fileSha256) {
      return false;
    }

    // If the file changes between hashing and reading, the stored hash is
    // stale and the next run ingests it again: it always converges.
    let warnings = 0;
    const { rowCount } = await store.replaceFile({
      sourceId: source.id,
      filePath: file.relative,
      fileSha256,
      items: parseFocusCsv(openText(file.absolute), {
        fileName: `${source.id}:${file.relative}`,
        onWarning: w => {
          warnings += 1;
          if (warnings <= 5) {
            logger.warn(
              `${source.id}:${file.relative} line ${w.line}: ${w.message}`,
            );
          }
        },
      }),
    });
    const unallocated =
      warnings > 0 ? ` (${warnings} unallocated by bad tags)` : '';
    logger.info(
      `Ingested ${rowCount} cost rows from ${source.id}:${file.relative}${unallocated}`,
    );
    return true;
  }
}

async function listExportFiles(
  root: string,
): Promise<Array<{ absolute: string; relative: string }>> {
  const stat = await fs.stat(root);
  if (stat.isFile()) {
    return [{ absolute: root, relative: path.basename(root) }];
  }
  const files: Array<{ absolute: string; relative: string }> = [];
  const walk = async (dir: string, prefix: string) => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      // Hidden entries are partial uploads, editor files or mount internals
      if (entry.name.startsWith('.')) {
        continue;
      }
      const absolute = path.join(dir, entry.name);
      // Relative and '/'-separated: moving the mount point does not re-key files
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        await walk(absolute, relative);
      } else if (
        EXPORT_FILE.test(entry.name) &&
        (entry.isFile() ||
          (entry.isSymbolicLink() && (await fs.stat(absolute)).isFile()))
      ) {
        files.push({ absolute, relative });
      }
    }
  };
  await walk(root, '');
  return files.sort((a, b) => (a.relative < b.relative ? -1 : 1));
}

function openText(file: string): AsyncIterable<string> {
  const raw = createReadStream(file);
  if (!file.toLowerCase().endsWith('.gz')) {
    return raw.setEncoding('utf8');
  }
  const gunzip = createGunzip();
  raw.on('error', error => gunzip.destroy(error));
  return raw.pipe(gunzip).setEncoding('utf8');
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk);
  }
  return hash.digest('hex');
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
