import {
  UrlReaderService,
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
  UrlReaderServiceReadUrlOptions,
  UrlReaderServiceReadUrlResponse,
  UrlReaderServiceSearchResponse,
} from '@backstage/backend-plugin-api';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

/**
 * A UrlReaderService over files held in memory, behaving like the object
 * storage readers: etags per file, NotModifiedError for a matching etag,
 * prefix globs in `search`, `readTree` of a prefix.
 */
export class InMemoryUrlReader implements UrlReaderService {
  readonly files = new Map<string, Buffer>();
  readonly reads: string[] = [];

  set(url: string, content: string | Buffer) {
    this.files.set(url, Buffer.from(content));
  }

  async readUrl(
    url: string,
    options?: UrlReaderServiceReadUrlOptions,
  ): Promise<UrlReaderServiceReadUrlResponse> {
    const content = this.files.get(url);
    if (!content) {
      throw new NotFoundError(`${url} not found`);
    }
    const etag = etagOf(content);
    if (options?.etag === etag) {
      throw new NotModifiedError();
    }
    this.reads.push(url);
    return {
      etag,
      buffer: async () => content,
      // Small chunks, as a network stream delivers them
      stream: () =>
        Readable.from(
          Array.from({ length: Math.ceil(content.length / 64) }, (_, i) =>
            content.subarray(i * 64, (i + 1) * 64),
          ),
        ),
    };
  }

  async search(url: string): Promise<UrlReaderServiceSearchResponse> {
    if (!url.endsWith('*') || url.indexOf('*') !== url.length - 1) {
      throw new Error('only prefix searches are supported');
    }
    const prefix = url.slice(0, -1);
    const files = [...this.files.entries()]
      .filter(([fileUrl]) => fileUrl.startsWith(prefix))
      .map(([fileUrl, content]) => ({
        url: fileUrl,
        content: async () => content,
      }));
    return { files, etag: '' };
  }

  async readTree(
    url: string,
    options?: UrlReaderServiceReadTreeOptions,
  ): Promise<UrlReaderServiceReadTreeResponse> {
    const prefix = url.endsWith('/') ? url : `${url}/`;
    const entries = [...this.files.entries()]
      .map(([fileUrl, content]) => ({
        path: fileUrl.slice(prefix.length),
        content,
        inTree: fileUrl.startsWith(prefix),
      }))
      .filter(e => e.inTree && (options?.filter?.(e.path) ?? true));
    return {
      etag: '',
      files: async () =>
        entries.map(e => ({ path: e.path, content: async () => e.content })),
      archive: async () => {
        throw new Error('not implemented');
      },
      dir: async () => {
        const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'costs-tree-'));
        for (const e of entries) {
          await fs.mkdir(path.dirname(path.join(dir, e.path)), {
            recursive: true,
          });
          await fs.writeFile(path.join(dir, e.path), e.content);
        }
        this.treeDirs.push(dir);
        return dir;
      },
    };
  }

  readonly treeDirs: string[] = [];
}

function etagOf(content: Buffer): string {
  return `"${createHash('md5').update(content).digest('hex')}"`;
}
