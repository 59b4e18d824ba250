import { randomBytes } from 'node:crypto';
import { fstatSync, openSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BytesStream, FileRangeStream } from '../../../src/ports/blob/sendable-streams.js';
import { tempDir } from '../../support/stores.js';

const content = randomBytes(100_000);

function openContent(): number {
  const path = join(tempDir('nuage-range-'), 'blob');
  writeFileSync(path, content);
  return openSync(path, 'r');
}

const isClosed = (fd: number): boolean => {
  try {
    fstatSync(fd);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EBADF';
  }
};

const closing = (stream: FileRangeStream) => new Promise((resolve) => stream.once('close', resolve));

/**
 * A Writable that takes its time over each chunk, like a slow client, and checks at the end of that
 * time that the chunk still holds the bytes it was given: a sender that refilled a buffer too early
 * would change them under it.
 */
function slowSink(delayMs = 2) {
  const received: Buffer[] = [];
  let changedUnderUs = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const copy = Buffer.from(chunk);
      setTimeout(() => {
        if (!chunk.equals(copy)) changedUnderUs++;
        received.push(copy);
        callback();
      }, delayMs);
    },
  });
  return { sink, received: () => Buffer.concat(received), changed: () => changedUnderUs };
}

describe('FileRangeStream', () => {
  it('sends a whole file or a range through reused buffers, ends the output and closes the file', async () => {
    for (const [start, length] of [
      [0, content.length],
      [1, 4096],
      [12_345, 50_001],
      [content.length - 1, 1],
    ] as const) {
      const fd = openContent();
      const stream = new FileRangeStream(fd, start, length, 4096);
      const { sink, received, changed } = slowSink(0);
      const finished = new Promise((resolve) => sink.on('finish', resolve));
      await stream.sendTo(sink);
      await finished;
      expect(received().equals(content.subarray(start, start + length))).toBe(true);
      expect(changed()).toBe(0);
      await closing(stream);
      expect(isClosed(fd)).toBe(true);
    }
  });

  it('refills a buffer only once the output is done with it', async () => {
    const stream = new FileRangeStream(openContent(), 0, content.length, 8192);
    const { sink, received, changed } = slowSink(3);
    await stream.sendTo(sink);
    expect(changed()).toBe(0);
    expect(received().equals(content)).toBe(true);
  });

  it('rejects and closes the file when the output goes away midway', async () => {
    const fd = openContent();
    const stream = new FileRangeStream(fd, 0, content.length, 4096);
    let writes = 0;
    const sink: Writable = new Writable({
      write(_chunk, _encoding, callback) {
        if (++writes === 3) {
          sink.destroy();
          return;
        }
        callback();
      },
    });
    await expect(stream.sendTo(sink)).rejects.toThrow();
    expect(writes).toBe(3);
    await closing(stream);
    expect(isClosed(fd)).toBe(true);
  });

  it('reads as a plain Readable too, and closes the file when destroyed midway', async () => {
    const parts: Buffer[] = [];
    for await (const part of new FileRangeStream(openContent(), 500, 70_000, 16_384))
      parts.push(part as Buffer);
    expect(Buffer.concat(parts).equals(content.subarray(500, 70_500))).toBe(true);

    const fd = openContent();
    const stream = new FileRangeStream(fd, 0, content.length, 4096);
    for await (const _part of stream) break; // destroys the stream
    await closing(stream);
    expect(isClosed(fd)).toBe(true);
  });

  it('fails when the file is shorter than the range it was given', async () => {
    const stream = new FileRangeStream(openContent(), content.length - 10, 20, 4096);
    await expect(stream.sendTo(slowSink(0).sink)).rejects.toThrow(/shorter/);
  });

  it('cannot be sent once something has read it', async () => {
    const stream = new FileRangeStream(openContent(), 0, content.length, 4096);
    await new Promise((resolve) => stream.once('readable', resolve));
    stream.read();
    await expect(stream.sendTo(slowSink(0).sink)).rejects.toThrow(/already been read/);
  });
});

describe('BytesStream', () => {
  it('ends the output with its bytes in one write, or reads as a plain Readable', async () => {
    for (const bytes of [Buffer.from('hello'), Buffer.alloc(0)]) {
      const writes: Buffer[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, callback) {
          writes.push(chunk);
          callback();
        },
      });
      const finished = new Promise((resolve) => sink.on('finish', resolve));
      await new BytesStream(bytes).sendTo(sink);
      await finished;
      expect(Buffer.concat(writes).equals(bytes)).toBe(true);
      expect(writes.length).toBeLessThanOrEqual(1);

      const parts: Buffer[] = [];
      for await (const part of new BytesStream(bytes)) parts.push(part as Buffer);
      expect(Buffer.concat(parts).equals(bytes)).toBe(true);
    }
  });

  it('rejects when the output is gone before it took the bytes', async () => {
    const sink = new Writable({ write: () => undefined }); // never calls back, like a stalled client
    const sent = new BytesStream(Buffer.from('hello')).sendTo(sink);
    sink.destroy();
    await expect(sent).rejects.toThrow();
  });
});
