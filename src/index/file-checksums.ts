import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describeContent, type FileDescription, type IndexManifest } from './index-manifest.js';

/** Worker threads that hash a build's files: one per core of the 2-core machine the targets are set for. @default 2 */
const HASHING_THREADS = 2;
/**
 * Builds smaller than this are hashed on the calling thread: CRC-32 of 32 MiB takes about 15 ms, less than starting
 * the threads (the shipped corpus's build is about 100 KB, and its load is part of the cold start).
 */
const IN_THREAD_BYTES = 32 * 1024 * 1024;

/**
 * The code of one hashing thread (plain JavaScript run with `eval`, like hnsw-shard-worker-source.ts, so it runs the
 * same under tsx and in `npm start`'s bundle). It streams each file through zlib's CRC-32 in 8 MiB pieces and answers
 * `{ name, bytes, crc32 }` (as crc32Hex writes it) or `{ name, error }` per file, in order. workerData: `{ files: [{ name, file }] }`.
 */
const HASHING_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { crc32 } = require('node:zlib');
const fs = require('node:fs');
const piece = Buffer.allocUnsafe(8 * 1024 * 1024);
for (const { name, file } of workerData.files) {
  try {
    const fd = fs.openSync(file, 'r');
    let checksum = 0;
    let bytes = 0;
    try {
      for (let read = fs.readSync(fd, piece, 0, piece.length, null); read > 0; read = fs.readSync(fd, piece, 0, piece.length, null)) {
        checksum = crc32(piece.subarray(0, read), checksum);
        bytes += read;
      }
    } finally {
      fs.closeSync(fd);
    }
    parentPort.postMessage({ name, bytes, crc32: (checksum >>> 0).toString(16).padStart(8, '0') });
  } catch (error) {
    parentPort.postMessage({ name, error: String((error && error.code) || (error && error.message) || error) });
  }
}
`;

/**
 * Size and CRC-32 of each named file of `dir`, computed on worker threads (the files are split between them by size;
 * small builds on this thread),
 * so that checking a 100,000-chunk build (about 430 MB) runs beside whatever this thread does meanwhile, and no file has
 * to be held in this thread's memory to be hashed. One promise per name, settled as soon as that file is hashed;
 * rejected with "`name` is missing" when it cannot be read. `bytes` is the expected size (only used to split the files
 * between the threads; any measure of size will do).
 */
export function hashFiles(
  dir: string,
  files: readonly { readonly name: string; readonly bytes: number }[],
  options: {
    /** Files adding up to fewer bytes are hashed on this thread. @default 33554432 (32 MiB) */
    readonly inThreadBytes?: number;
  } = {},
): Map<string, Promise<FileDescription>> {
  if (files.reduce((sum, file) => sum + file.bytes, 0) < (options.inThreadBytes ?? IN_THREAD_BYTES)) {
    return new Map(
      files.map(({ name }) => {
        const described = readFile(path.join(dir, name)).then(describeContent, (error: unknown) => {
          throw new Error(`${name} is missing (${(error as NodeJS.ErrnoException).code ?? error})`);
        });
        described.catch(() => {});
        return [name, described];
      }),
    );
  }
  const groups: { names: string[]; bytes: number }[] = Array.from({ length: Math.min(HASHING_THREADS, files.length) }, () => ({
    names: [],
    bytes: 0,
  }));
  for (const file of [...files].sort((left, right) => right.bytes - left.bytes)) {
    const lightest = groups.reduce((best, group) => (group.bytes < best.bytes ? group : best));
    lightest.names.push(file.name);
    lightest.bytes += file.bytes;
  }
  const settlers = new Map<string, { resolve: (description: FileDescription) => void; reject: (error: Error) => void }>();
  const results = new Map<string, Promise<FileDescription>>();
  for (const { name } of files) {
    const promise = new Promise<FileDescription>((resolve, reject) => settlers.set(name, { resolve, reject }));
    promise.catch(() => {});
    results.set(name, promise);
  }
  for (const group of groups) {
    const worker = new Worker(HASHING_WORKER_SOURCE, {
      eval: true,
      workerData: { files: group.names.map((name) => ({ name, file: path.join(dir, name) })) },
    });
    worker.on('message', (message: { name: string; bytes?: number; crc32?: string; error?: string }) => {
      const settler = settlers.get(message.name);
      if (message.error !== undefined || message.bytes === undefined || message.crc32 === undefined) {
        settler?.reject(new Error(`${message.name} is missing (${message.error})`));
      } else settler?.resolve({ bytes: message.bytes, crc32: message.crc32 });
      settlers.delete(message.name);
    });
    const failAll = (why: string): void => {
      for (const name of group.names) settlers.get(name)?.reject(new Error(`${name} could not be checked: ${why}`));
    };
    worker.once('error', (error) => failAll(error.message));
    worker.once('exit', (code) => failAll(`the hashing thread exited (code ${code})`));
  }
  return results;
}

/**
 * Checks every named file of a build against its manifest entry on the hashing threads; one promise per name, rejected
 * with an error naming the file when it is missing, of another size, or does not match its checksum.
 */
export function verifyFiles(buildDir: string, names: readonly string[], manifest: IndexManifest): Map<string, Promise<void>> {
  const listed = names.map((name) => {
    const expected = manifest.files?.[name];
    if (!expected) throw new Error(`manifest does not list ${name}`);
    return { name, bytes: expected.bytes, expected };
  });
  const hashed = hashFiles(buildDir, listed);
  const verified = new Map<string, Promise<void>>();
  for (const { name, expected } of listed) {
    const check = (hashed.get(name) as Promise<FileDescription>).then((actual) => {
      if (actual.bytes !== expected.bytes) throw new Error(`${name} has ${actual.bytes} bytes, expected ${expected.bytes}`);
      if (actual.crc32 !== expected.crc32) throw new Error(`${name} does not match its checksum`);
    });
    check.catch(() => {});
    verified.set(name, check);
  }
  return verified;
}
