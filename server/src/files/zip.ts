/**
 * A streaming ZIP writer (APPNOTE 6.3.10) over `node:zlib`. Why our own rather than `yazl` or
 * `archiver`: what we need is small (deflate or store, data descriptors, UTF-8 names, ZIP64), the
 * format is stable, and a hundred lines here cost no dependency, no lockfile churn and no idle memory.
 *
 * Each entry is written as it comes: a local header with the data-descriptor flag (the CRC is known only
 * once the content has gone by), the content (deflated, or stored for formats that are compressed
 * already), then a data descriptor. The central directory is written at the end from what was counted.
 * Nothing is buffered beyond one chunk and the central directory (~100 bytes per entry): no temp file.
 *
 * ZIP64 is used for an entry whose announced size could reach 4 GiB (its local header then carries a
 * ZIP64 extra field and its data descriptor 8-byte sizes), and for the central directory when an offset
 * or the entry count outgrows the classic fields.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { crc32, createDeflateRaw } from 'node:zlib';

export interface ZipEntry {
  /** The path inside the archive, `/`-separated; a directory's ends with `/`. */
  name: string;
  type: 'file' | 'directory';
  modified: Date;
  /** The content's size as known beforehand (decides ZIP64); the bytes counted are what gets written. */
  size?: number;
  /** Deflate (true) or store (false). Defaults to deflate. */
  compress?: boolean;
  /** Opens the content, called only when the entry's turn comes (so one file is open at a time). */
  open?: () => Promise<Readable>;
}

export interface ZipOptions {
  /** Writes every entry and the end records as ZIP64 (tests use it to check the ZIP64 layout). */
  forceZip64?: boolean;
}

const MAX32 = 0xffffffff;
const MAX16 = 0xffff;
/** Entries announced at this size or above get ZIP64 sizes: deflate may grow incompressible data a little. */
const ZIP64_FROM = 0xf0000000;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_UTF8 = 0x0800;
/** Made by: Unix (3), spec 4.5 — so the external attributes carry Unix modes. */
const MADE_BY = (3 << 8) | 45;

interface Written {
  name: Buffer;
  method: number;
  time: number;
  date: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  directory: boolean;
  zip64: boolean;
}

/** A ZIP archive of `entries` as a stream; an error in an entry's content errors the stream. */
export function zipStream(entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>, options: ZipOptions = {}) {
  return Readable.from(generate(entries, options), { objectMode: false });
}

async function* generate(
  entries: AsyncIterable<ZipEntry> | Iterable<ZipEntry>,
  options: ZipOptions,
): AsyncGenerator<Buffer> {
  const written: Written[] = [];
  let offset = 0;
  for await (const entry of entries) {
    const directory = entry.type === 'directory';
    const { time, date } = dosDateTime(entry.modified);
    const w: Written = {
      name: Buffer.from(entry.name, 'utf8'),
      method: directory || entry.compress === false ? 0 : 8,
      time,
      date,
      crc: 0,
      compressed: 0,
      size: 0,
      offset,
      directory,
      zip64: options.forceZip64 === true || (entry.size ?? 0) >= ZIP64_FROM,
    };
    const header = localHeader(w);
    offset += header.length;
    yield header;
    if (!directory && entry.open) {
      const source = await entry.open();
      const counted = count(source, w);
      const body = w.method === 8 ? pipeline(counted, createDeflateRaw(), () => undefined) : counted;
      for await (const chunk of body as AsyncIterable<Buffer>) {
        w.compressed += chunk.length;
        offset += chunk.length;
        yield chunk;
      }
      if (!w.zip64 && (w.size > MAX32 || w.compressed > MAX32)) {
        throw new Error(`${entry.name} outgrew its announced size; it needs ZIP64`);
      }
    }
    const descriptor = dataDescriptor(w);
    offset += descriptor.length;
    yield descriptor;
    written.push(w);
  }
  const start = offset;
  for (const w of written) {
    const header = centralHeader(w, options.forceZip64 === true);
    offset += header.length;
    yield header;
  }
  yield* end(written.length, start, offset - start, offset, options.forceZip64 === true);
}

/** Passes `source` through, counting its bytes and CRC into `w` as they go by. */
async function* count(source: Readable, w: Written): AsyncGenerator<Buffer> {
  for await (const chunk of source as AsyncIterable<Buffer>) {
    w.crc = crc32(chunk, w.crc);
    w.size += chunk.length;
    yield chunk;
  }
}

function localHeader(w: Written): Buffer {
  const extra = w.zip64 ? zip64Extra([0, 0]) : Buffer.alloc(0);
  const b = Buffer.alloc(30);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(w.zip64 ? 45 : 20, 4);
  b.writeUInt16LE(FLAG_DESCRIPTOR | FLAG_UTF8, 6);
  b.writeUInt16LE(w.method, 8);
  b.writeUInt16LE(w.time, 10);
  b.writeUInt16LE(w.date, 12);
  // CRC and sizes follow in the data descriptor (zero here; MAX32 pointing at the ZIP64 field).
  b.writeUInt32LE(0, 14);
  b.writeUInt32LE(w.zip64 ? MAX32 : 0, 18);
  b.writeUInt32LE(w.zip64 ? MAX32 : 0, 22);
  b.writeUInt16LE(w.name.length, 26);
  b.writeUInt16LE(extra.length, 28);
  return Buffer.concat([b, w.name, extra]);
}

function dataDescriptor(w: Written): Buffer {
  const b = Buffer.alloc(w.zip64 ? 24 : 16);
  b.writeUInt32LE(0x08074b50, 0);
  b.writeUInt32LE(w.crc >>> 0, 4);
  if (w.zip64) {
    b.writeBigUInt64LE(BigInt(w.compressed), 8);
    b.writeBigUInt64LE(BigInt(w.size), 16);
  } else {
    b.writeUInt32LE(w.compressed, 8);
    b.writeUInt32LE(w.size, 12);
  }
  return b;
}

function centralHeader(w: Written, force: boolean): Buffer {
  // The ZIP64 field holds, in this order, each value whose classic field says MAX32.
  const big = (n: number) => force || n >= MAX32;
  const sizes64 = w.zip64 || big(w.size) || big(w.compressed);
  const offset64 = big(w.offset);
  const values = [...(sizes64 ? [w.size, w.compressed] : []), ...(offset64 ? [w.offset] : [])];
  const extra = values.length > 0 ? zip64Extra(values) : Buffer.alloc(0);
  const b = Buffer.alloc(46);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(MADE_BY, 4);
  b.writeUInt16LE(values.length > 0 ? 45 : 20, 6);
  b.writeUInt16LE(FLAG_DESCRIPTOR | FLAG_UTF8, 8);
  b.writeUInt16LE(w.method, 10);
  b.writeUInt16LE(w.time, 12);
  b.writeUInt16LE(w.date, 14);
  b.writeUInt32LE(w.crc >>> 0, 16);
  b.writeUInt32LE(sizes64 ? MAX32 : w.compressed, 20);
  b.writeUInt32LE(sizes64 ? MAX32 : w.size, 24);
  b.writeUInt16LE(w.name.length, 28);
  b.writeUInt16LE(extra.length, 30);
  // comment length, disk number start, internal attributes: 0
  const mode = w.directory ? 0o40755 : 0o100644;
  b.writeUInt32LE(((mode << 16) | (w.directory ? 0x10 : 0)) >>> 0, 38);
  b.writeUInt32LE(offset64 ? MAX32 : w.offset, 42);
  return Buffer.concat([b, w.name, extra]);
}

/** The end records: ZIP64 end of central directory and its locator when needed, then the classic one. */
function* end(entries: number, start: number, size: number, at: number, force: boolean): Generator<Buffer> {
  const zip64 = force || entries >= MAX16 || start >= MAX32 || size >= MAX32;
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(MADE_BY, 12);
    record.writeUInt16LE(45, 14);
    // this disk, disk with the central directory: 0
    record.writeBigUInt64LE(BigInt(entries), 24);
    record.writeBigUInt64LE(BigInt(entries), 32);
    record.writeBigUInt64LE(BigInt(size), 40);
    record.writeBigUInt64LE(BigInt(start), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(at), 8);
    locator.writeUInt32LE(1, 16);
    yield Buffer.concat([record, locator]);
  }
  const b = Buffer.alloc(22);
  b.writeUInt32LE(0x06054b50, 0);
  b.writeUInt16LE(zip64 ? MAX16 : entries, 8);
  b.writeUInt16LE(zip64 ? MAX16 : entries, 10);
  b.writeUInt32LE(zip64 ? MAX32 : size, 12);
  b.writeUInt32LE(zip64 ? MAX32 : start, 16);
  yield b;
}

function zip64Extra(values: number[]): Buffer {
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(0x0001, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return b;
}

/** MS-DOS date and time (2-second precision, years 1980–2107), from the UTC fields. */
function dosDateTime(at: Date): { time: number; date: number } {
  const d = Number.isNaN(at.getTime()) ? new Date(0) : at;
  const year = Math.min(2107, Math.max(1980, d.getUTCFullYear()));
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}
