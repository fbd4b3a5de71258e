/**
 * Completeness checks for compressed input. DuckDB reads a truncated `.csv.gz` without a word
 * (half the rows, as if that were the file) and ignores gzip's checksum, and it reads a `.zst`
 * cut short at a frame boundary the same way. So every compressed file is checked here, in a
 * stream beside DuckDB's own read: gzip by inflating it with Node's zlib (which checks the CRC-32
 * and length of every member), zstd by walking its frames and blocks to the end (DuckDB checks
 * zstd's content checksum itself). A problem is an error; nothing is audited from such a file.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { FairkitError } from "fairkit/internal";
import { ioMessages } from "./messages.js";

/** The compression a file name implies: `gzip` for `.gz`, `zstd` for `.zst`, else none. */
export function compressionOf(path: string): "gzip" | "zstd" | undefined {
  const name = path.toLowerCase();
  if (name.endsWith(".gz")) return "gzip";
  if (name.endsWith(".zst")) return "zstd";
  return undefined;
}

async function verifyGzip(path: string): Promise<void> {
  const sink = new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
  try {
    await pipeline(createReadStream(path), createGunzip(), sink);
  } catch (error) {
    const message = (error as Error).message;
    throw new FairkitError(
      "BAD_FILE",
      ioMessages.truncated(path, message === "unexpected end of file" ? "gzip data ends early" : `gzip: ${message}`),
      { file: path },
    );
  }
}

/**
 * Walks zstd frames (RFC 8878) without decompressing: frame header, then blocks (3-byte header:
 * last-block flag, type, size) up to the last one, then the optional checksum; skippable frames
 * are skipped. The file must end exactly where its last frame ends.
 */
async function verifyZstd(path: string): Promise<void> {
  const fail = (detail: string): never => {
    throw new FairkitError("BAD_FILE", ioMessages.truncated(path, `zstd: ${detail}`), { file: path });
  };
  const size = (await stat(path)).size;
  // Read the file in pieces as the walker asks for bytes at growing offsets.
  const chunks: Buffer[] = [];
  let buffered = 0;
  let base = 0;
  const stream = createReadStream(path, { highWaterMark: 1 << 20 })[Symbol.asyncIterator]();
  let ended = false;
  const ensure = async (end: number): Promise<boolean> => {
    while (base + buffered < end && !ended) {
      const next = await stream.next();
      if (next.done) ended = true;
      else {
        chunks.push(next.value as Buffer);
        buffered += (next.value as Buffer).length;
      }
    }
    return base + buffered >= end;
  };
  const byteAt = (offset: number): number => {
    let o = offset - base;
    for (const c of chunks) {
      if (o < c.length) return c[o];
      o -= c.length;
    }
    return -1;
  };
  const drop = (offset: number): void => {
    // Forget chunks wholly before `offset` so memory stays bounded.
    while (chunks.length > 0 && base + chunks[0].length <= offset) {
      base += chunks[0].length;
      buffered -= chunks[0].length;
      chunks.shift();
    }
  };
  const read = async (offset: number, length: number): Promise<number[]> => {
    if (!(await ensure(offset + length))) fail("data ends early");
    const out: number[] = [];
    for (let i = 0; i < length; i++) out.push(byteAt(offset + i));
    return out;
  };
  let pos = 0;
  let frames = 0;
  while (pos < size) {
    drop(pos);
    const m = await read(pos, 4);
    const magic = (m[0] | (m[1] << 8) | (m[2] << 16) | (m[3] << 24)) >>> 0;
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      const len = await read(pos + 4, 4);
      pos += 8 + ((len[0] | (len[1] << 8) | (len[2] << 16) | (len[3] << 24)) >>> 0);
      continue;
    }
    if (magic !== 0xfd2fb528) fail(frames === 0 ? "not a zstd file" : `unexpected bytes after frame ${frames}`);
    const [descriptor] = await read(pos + 4, 1);
    const fcsFlag = descriptor >> 6;
    const singleSegment = (descriptor >> 5) & 1;
    const checksum = (descriptor >> 2) & 1;
    const dictIdFlag = descriptor & 3;
    const headerSize =
      1 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][dictIdFlag] + [singleSegment ? 1 : 0, 2, 4, 8][fcsFlag];
    pos += 4 + headerSize;
    for (;;) {
      drop(pos);
      const h = await read(pos, 3);
      const header = h[0] | (h[1] << 8) | (h[2] << 16);
      const last = header & 1;
      const type = (header >> 1) & 3;
      const blockSize = header >> 3;
      if (type === 3) fail("reserved block type (corrupt data)");
      pos += 3 + (type === 1 ? 1 : blockSize);
      if (last) break;
      if (!(await ensure(pos + 1))) fail("data ends before the last block");
    }
    pos += checksum ? 4 : 0;
    if (!(await ensure(pos))) fail("data ends before the frame's checksum");
    frames++;
  }
  if (pos !== size) fail("data ends inside a frame");
  await stream.return?.();
}

const checks = new Map<string, Promise<void>>();

/**
 * Starts (or reuses, for the same file unchanged) the completeness check of a compressed file.
 * Returns undefined for an uncompressed file. The promise never rejects unobserved: await it.
 */
export async function integrityCheck(path: string): Promise<(() => Promise<void>) | undefined> {
  const kind = compressionOf(path);
  if (!kind) return undefined;
  const info = await stat(path);
  const key = `${path}\u0000${info.size}\u0000${info.mtimeMs}`;
  let check = checks.get(key);
  if (!check) {
    check = kind === "gzip" ? verifyGzip(path) : verifyZstd(path);
    check.catch(() => {});
    checks.set(key, check);
  }
  const started = check;
  return () => started;
}
