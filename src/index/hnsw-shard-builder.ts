import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type hnswlib from 'hnswlib-node';
import { HNSW_SHARD_WORKER_SOURCE } from './hnsw-shard-worker-source.js';
import {
  createHnswShard,
  type HnswGraphSettings,
  type HnswShardFile,
  shardFileName,
  shardOf,
  writeHnswShards,
} from './hnsw-vector-index.js';

/**
 * Fills the shards of an HNSW index while the caller is still embedding: vectors arrive in position order and are
 * dealt round-robin to the shards. With `threads`, each shard is built by a worker thread of its own (hnswlib inserts
 * one point at a time on the calling thread, so this is how a build uses more than one core); otherwise in this thread.
 * Either way the graphs are the same: same vectors, same order, same seed per shard.
 */
export interface HnswShardBuilder {
  /** Adds the vectors of positions `start, start+1, ...`; must be called in position order. */
  add(start: number, vectors: readonly (readonly number[])[]): void;
  /** Waits for every insertion, writes each shard into `dir` and returns the files in shard order. */
  finish(dir: string): Promise<HnswShardFile[]>;
  /** Stops the workers (after a failure elsewhere in the build). */
  abort(): Promise<void>;
  /** Whether the shards are built on worker threads. */
  readonly threaded: boolean;
}

export interface HnswShardBuilderOptions {
  readonly count: number;
  readonly dimensions: number;
  readonly shards: number;
  readonly graph: HnswGraphSettings;
  /** Build each shard on a worker thread. */
  readonly threads: boolean;
}

export function createHnswShardBuilder(options: HnswShardBuilderOptions): HnswShardBuilder {
  const hnswlibPath = options.threads ? resolveHnswlib() : undefined;
  if (hnswlibPath === undefined) return createInlineBuilder(options);
  return createThreadedBuilder(options, hnswlibPath);
}

function shardSizes(count: number, shards: number): number[] {
  return Array.from({ length: shards }, (_, shard) => Math.floor(count / shards) + (shard < count % shards ? 1 : 0));
}

function createInlineBuilder(options: HnswShardBuilderOptions): HnswShardBuilder {
  const shards: hnswlib.HierarchicalNSW[] = shardSizes(options.count, options.shards).map((size) =>
    createHnswShard(options.dimensions, size, options.graph),
  );
  return {
    threaded: false,
    add(start, vectors) {
      vectors.forEach((vector, offset) => {
        const position = start + offset;
        (shards[shardOf(position, options.shards)] as hnswlib.HierarchicalNSW).addPoint(vector as number[], position);
      });
    },
    finish: (dir) => writeHnswShards(shards, dir),
    async abort() {},
  };
}

function createThreadedBuilder(options: HnswShardBuilderOptions, hnswlibPath: string): HnswShardBuilder {
  const { dimensions, graph } = options;
  const sizes = shardSizes(options.count, options.shards);
  let failure: Error | undefined;
  const workers = sizes.map((count, shard) => {
    const worker = new Worker(HNSW_SHARD_WORKER_SOURCE, {
      eval: true,
      workerData: { hnswlibPath, dimensions, count, m: graph.m, efConstruction: graph.efConstruction },
    });
    const failed = new Promise<never>((_, reject) => {
      const fail = (message: string): void => {
        failure ??= new Error(`HNSW shard ${shard}: ${message}`);
        reject(failure);
      };
      worker.on('message', (message: { kind: string; message?: string }) => {
        if (message.kind === 'failed') fail(message.message ?? 'failed');
      });
      worker.once('error', (error) => fail(error.message));
      worker.once('exit', (code) => fail(`the worker exited (code ${code}) before it saved`));
    });
    failed.catch(() => {});
    return { worker, failed };
  });

  return {
    threaded: true,
    add(start, vectors) {
      if (failure) throw failure;
      // One message per shard per batch: its rows packed into one transferable buffer.
      const rows: number[][] = sizes.map(() => []);
      for (let offset = 0; offset < vectors.length; offset += 1) (rows[shardOf(start + offset, options.shards)] as number[]).push(offset);
      rows.forEach((offsets, shard) => {
        if (offsets.length === 0) return;
        const positions = new Int32Array(offsets.length);
        const packed = new Float32Array(offsets.length * dimensions);
        offsets.forEach((offset, row) => {
          positions[row] = start + offset;
          packed.set(vectors[offset] as readonly number[], row * dimensions);
        });
        (workers[shard] as { worker: Worker }).worker.postMessage({ kind: 'add', positions, vectors: packed }, [
          positions.buffer,
          packed.buffer,
        ]);
      });
    },
    async finish(dir) {
      return Promise.all(
        workers.map(async ({ worker, failed }, shard) => {
          const file = shardFileName(shard);
          const saved = new Promise<number>((resolve) => {
            worker.on('message', (message: { kind: string; count?: number }) => {
              if (message.kind === 'saved') resolve(message.count ?? 0);
            });
          });
          worker.postMessage({ kind: 'save', file: path.join(dir, file) });
          const count = await Promise.race([saved, failed]);
          await worker.terminate();
          return { file, count };
        }),
      );
    },
    async abort() {
      await Promise.all(workers.map(({ worker }) => worker.terminate()));
    },
  };
}

/**
 * The absolute path of hnswlib-node for the worker's `require`, resolved from the working folder (where the tutor runs
 * from) or the main script; undefined when neither finds it, and the caller builds in this thread instead.
 */
function resolveHnswlib(): string | undefined {
  for (const base of [path.join(process.cwd(), 'index.js'), process.argv[1]]) {
    if (base === undefined) continue;
    try {
      return createRequire(path.resolve(base)).resolve('hnswlib-node');
    } catch {
      // Try the next base.
    }
  }
  return undefined;
}
