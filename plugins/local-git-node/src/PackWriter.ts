import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32, deflate, deflateSync } from 'node:zlib';
import { InputError } from '@backstage/errors';

const deflateAsync = promisify(deflate);

// Smaller objects are deflated inline: a thread-pool round trip costs more
// than compressing a few kilobytes, and larger ones must not block the loop.
const INLINE_DEFLATE_MAX_BYTES = 64 * 1024;
// Offsets in a version 2 index are 31 bits; a first commit this large is
// not a generated project anyway.
const MAX_PACK_BYTES = 1024 * 1024 * 1024;

const TYPE_CODES = { commit: 1, tree: 2, blob: 3 } as const;
type ObjectType = keyof typeof TYPE_CODES;

/**
 * Collects git objects and writes them as one pack with its index, git's
 * format for objects at rest (gitformat-pack(5)): two files instead of one
 * file and directory per object. Objects are stored whole, no deltas.
 */
export class PackWriter {
  private readonly objects = new Map<
    string,
    { type: ObjectType; body: Buffer }
  >();
  private bytes = 0;

  /** Adds an object (once, however often it occurs); returns its id. */
  add(type: ObjectType, body: Buffer): string {
    const id = createHash('sha1')
      .update(`${type} ${body.length}\0`)
      .update(body)
      .digest('hex');
    if (!this.objects.has(id)) {
      this.bytes += body.length;
      if (this.bytes > MAX_PACK_BYTES) {
        throw new InputError(
          'The content is larger than 1 GiB, too large for one local git commit',
        );
      }
      this.objects.set(id, { type, body });
    }
    return id;
  }

  /** Writes `objects/pack/pack-<checksum>.{pack,idx}` into `gitDir`. */
  async write(gitDir: string): Promise<void> {
    const ids = [...this.objects.keys()];
    const records = await Promise.all(
      ids.map(async id => {
        const { type, body } = this.objects.get(id)!;
        // Level 1, as git's own core.compression default for speed.
        const data =
          body.length <= INLINE_DEFLATE_MAX_BYTES
            ? deflateSync(body, { level: 1 })
            : await deflateAsync(body, { level: 1 });
        return Buffer.concat([objectHeader(type, body.length), data]);
      }),
    );

    const header = Buffer.alloc(12);
    header.write('PACK', 0, 'latin1');
    header.writeUInt32BE(2, 4);
    header.writeUInt32BE(ids.length, 8);
    const entries: { id: string; offset: number; crc: number }[] = [];
    let offset = header.length;
    records.forEach((record, i) => {
      entries.push({ id: ids[i], offset, crc: crc32(record) });
      offset += record.length;
    });
    const packBody = Buffer.concat([header, ...records]);
    const checksum = createHash('sha1').update(packBody).digest();

    const index = packIndex(entries, checksum);
    const base = join(
      gitDir,
      'objects',
      'pack',
      `pack-${checksum.toString('hex')}`,
    );
    await fs.mkdir(join(gitDir, 'objects', 'pack'), { recursive: true });
    // The index last: git only looks at a pack once its index exists.
    await fs.writeFile(`${base}.pack`, Buffer.concat([packBody, checksum]), {
      mode: 0o444,
    });
    await fs.writeFile(`${base}.idx`, index, { mode: 0o444 });
  }
}

/** Type and inflated size: 3 bits of type, then the size 4 + 7n bits. */
function objectHeader(type: ObjectType, size: number): Buffer {
  const bytes: number[] = [];
  let byte = (TYPE_CODES[type] << 4) | (size & 0x0f);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes.push(byte | 0x80);
    byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  bytes.push(byte);
  return Buffer.from(bytes);
}

/** A version 2 pack index (gitformat-pack(5), "Version 2 pack-*.idx"). */
function packIndex(
  entries: { id: string; offset: number; crc: number }[],
  packChecksum: Buffer,
): Buffer {
  // Hex ids of equal length sort like the bytes they stand for.
  const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : 1));
  const fanout = Buffer.alloc(256 * 4);
  let next = 0;
  for (let byte = 0; byte < 256; byte++) {
    while (
      next < sorted.length &&
      parseInt(sorted[next].id.slice(0, 2), 16) <= byte
    ) {
      next++;
    }
    fanout.writeUInt32BE(next, byte * 4);
  }
  const crcs = Buffer.alloc(sorted.length * 4);
  const offsets = Buffer.alloc(sorted.length * 4);
  sorted.forEach((entry, i) => {
    crcs.writeUInt32BE(entry.crc, i * 4);
    offsets.writeUInt32BE(entry.offset, i * 4);
  });
  const body = Buffer.concat([
    Buffer.from([0xff, 0x74, 0x4f, 0x63, 0, 0, 0, 2]),
    fanout,
    ...sorted.map(entry => Buffer.from(entry.id, 'hex')),
    crcs,
    offsets,
    packChecksum,
  ]);
  return Buffer.concat([body, createHash('sha1').update(body).digest()]);
}
