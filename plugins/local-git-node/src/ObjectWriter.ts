import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflate, deflateSync } from 'node:zlib';

const deflateAsync = promisify(deflate);

// Smaller objects are deflated inline: a thread-pool round trip costs more
// than compressing a few kilobytes, and larger ones must not block the loop.
const INLINE_DEFLATE_MAX_BYTES = 64 * 1024;

/** Loose objects, each written once however often its content occurs. */
export class ObjectWriter {
  private readonly written = new Map<string, Promise<void>>();
  private readonly fanout = new Map<string, Promise<unknown>>();

  constructor(private readonly gitDir: string) {}

  async write(type: 'blob' | 'tree' | 'commit', body: Buffer) {
    const data = Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]);
    const id = createHash('sha1').update(data).digest('hex');
    if (!this.written.has(id)) {
      this.written.set(id, this.store(id, data));
    }
    await this.written.get(id);
    return id;
  }

  private async store(id: string, data: Buffer) {
    const dir = join(this.gitDir, 'objects', id.slice(0, 2));
    if (!this.fanout.has(dir)) {
      this.fanout.set(dir, fs.mkdir(dir, { recursive: true }));
    }
    // Level 1 is git's own default for loose objects (core.looseCompression).
    const options = { level: 1 };
    const [compressed] = await Promise.all([
      data.length <= INLINE_DEFLATE_MAX_BYTES
        ? deflateSync(data, options)
        : deflateAsync(data, options),
      this.fanout.get(dir),
    ]);
    await fs.writeFile(join(dir, id.slice(2)), compressed, { mode: 0o444 });
  }
}
