import { UrlReaderService } from '@backstage/backend-plugin-api';
import { isError, NotModifiedError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { IngestedFile } from '../database/CostStore';
import { CostSource } from './config';

/** `.csv` and `.csv.gz`, any case. */
export const EXPORT_FILE = /\.csv(\.gz)?$/i;

/** A file of a source, opened as decompressed text bytes. */
export interface OpenedExport {
  text: Readable;
  etag: string | null;
  /** sha256 of the bytes read, once all of them were; '' before. */
  sha256(): string;
}

/** One billing export file of a source. */
export interface ExportFile {
  /** Key of the file within its source: a relative path or a URL. */
  key: string;
  /**
   * Opens the file unless the stored version is the same; 'unchanged' then,
   * decided by sha256 (local) or etag (URL reader).
   */
  open(previous: IngestedFile | undefined): Promise<OpenedExport | 'unchanged'>;
}

/** The files of a source, and what to clean up after reading them. */
export interface SourceListing {
  files: ExportFile[];
  close(): Promise<void>;
}

/**
 * Lists a source's export files:
 * - `path`: a local file, or a directory walked recursively;
 * - `url` naming one `.csv(.gz)` file: read with `readUrl`, skipped by etag;
 * - `url` with a glob (`*`, `?`): listed with `search`, each file read with
 *   `readUrl` (streamed) and skipped by its etag;
 * - any other `url`: a directory read with `readTree` into a temporary
 *   directory, then treated like a local one.
 */
export async function listSourceFiles(
  source: CostSource,
  urlReader: UrlReaderService,
  signal?: AbortSignal,
): Promise<SourceListing> {
  const none = async () => {};
  if ('path' in source) {
    return { files: await listLocalFiles(source.path), close: none };
  }
  const { url } = source;
  const pathname = new URL(url).pathname;
  if (/[*?]/.test(decodeURIComponent(pathname))) {
    const { files } = await urlReader.search(url, { signal });
    return {
      files: files
        .filter(file => EXPORT_FILE.test(new URL(file.url).pathname))
        .map(file => urlFile(file.url, urlReader, signal))
        .sort(byKey),
      close: none,
    };
  }
  if (EXPORT_FILE.test(pathname)) {
    return { files: [urlFile(url, urlReader, signal)], close: none };
  }
  const tree = await urlReader.readTree(url, {
    signal,
    filter: filePath =>
      EXPORT_FILE.test(filePath) && !filePath.split('/').some(isHidden),
  });
  const dir = await tree.dir();
  try {
    const base = url.replace(/\/+$/, '');
    const files = (await listLocalFiles(dir)).map(file => ({
      ...file,
      key: `${base}/${file.key}`,
    }));
    return {
      files,
      close: () => fs.rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await fs.rm(dir, { recursive: true, force: true });
    throw error;
  }
}

// Hidden entries are partial uploads, editor files or mount internals
function isHidden(name: string): boolean {
  return name.startsWith('.');
}

function byKey(a: ExportFile, b: ExportFile): number {
  if (a.key === b.key) {
    return 0;
  }
  return a.key < b.key ? -1 : 1;
}

async function listLocalFiles(root: string): Promise<ExportFile[]> {
  const stat = await fs.stat(root);
  if (stat.isFile()) {
    return [localFile(root, path.basename(root))];
  }
  const files: ExportFile[] = [];
  const walk = async (dir: string, prefix: string) => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      if (isHidden(entry.name)) {
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
        files.push(localFile(absolute, relative));
      }
    }
  };
  await walk(root, '');
  return files.sort(byKey);
}

function localFile(absolute: string, key: string): ExportFile {
  return {
    key,
    async open(previous) {
      // Hashing first lets an unchanged file be skipped without parsing. If
      // the file changes between hashing and reading, the stored hash is
      // stale and the next run ingests it again: it converges.
      const sha256 = await sha256File(absolute);
      if (previous?.fileSha256 === sha256) {
        return 'unchanged';
      }
      return {
        text: decompress(createReadStream(absolute), key),
        etag: null,
        sha256: () => sha256,
      };
    },
  };
}

function urlFile(
  url: string,
  urlReader: UrlReaderService,
  signal?: AbortSignal,
): ExportFile {
  // The query is dropped from the key: it is no part of the file's identity
  // and may carry a signature
  const parsed = new URL(url);
  const key = `${parsed.origin}${parsed.pathname}`;
  return {
    key,
    async open(previous) {
      let response;
      try {
        response = await urlReader.readUrl(url, {
          etag: previous?.etag ?? undefined,
          signal,
        });
      } catch (error) {
        if (isError(error) && error.name === NotModifiedError.name) {
          return 'unchanged';
        }
        throw error;
      }
      // stream() is optional in the interface; every reader in
      // backend-defaults has it, buffer() is the fallback
      const raw = response.stream
        ? response.stream()
        : Readable.from([await response.buffer()]);
      const hash = createHash('sha256');
      let done = false;
      const tap = new Transform({
        transform(chunk, _encoding, callback) {
          hash.update(chunk);
          callback(null, chunk);
        },
        flush(callback) {
          done = true;
          callback();
        },
      });
      raw.on('error', error => tap.destroy(error));
      let digest = '';
      return {
        text: decompress(raw.pipe(tap), parsed.pathname),
        etag: response.etag ?? null,
        sha256: () => {
          if (done && !digest) {
            digest = hash.digest('hex');
          }
          return digest;
        },
      };
    },
  };
}

function decompress(raw: Readable, name: string): Readable {
  if (!name.toLowerCase().endsWith('.gz')) {
    return raw;
  }
  const gunzip = createGunzip();
  raw.on('error', error => gunzip.destroy(error));
  return raw.pipe(gunzip);
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk);
  }
  return hash.digest('hex');
}
