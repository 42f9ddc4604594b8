/**
 * The code of one shard-building worker thread, run with `new Worker(source, { eval: true })`.
 *
 * Plain JavaScript in a string on purpose: `npm start` runs an esbuild bundle of src/ (dist/server.mjs), where a worker
 * file next to this module would not exist, and a worker URL relative to this module (import dot meta) would make scripts/start-tutor.mjs
 * fall back to tsx (slower cold start). The worker only needs hnswlib-node, whose resolved path the parent passes in.
 *
 * Protocol (messages from the parent):
 * - `{ kind: 'add', positions: Int32Array, vectors: Float32Array }`: insert `vectors` (positions.length × dimensions,
 *   row-major) under the given labels, in order;
 * - `{ kind: 'save', file }`: write the shard to `file` and answer `{ kind: 'saved', count }`, then exit.
 * On any failure it answers `{ kind: 'failed', message }` and exits.
 * workerData: `{ hnswlibPath, dimensions, count, m, efConstruction }`.
 */
export const HNSW_SHARD_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { hnswlibPath, dimensions, count, m, efConstruction } = workerData;
let shard;
try {
  const { HierarchicalNSW } = require(hnswlibPath);
  shard = new HierarchicalNSW('cosine', dimensions);
  shard.initIndex(Math.max(1, count), m, efConstruction, 100);
} catch (error) {
  parentPort.postMessage({ kind: 'failed', message: String(error && error.message || error) });
  process.exit(0);
}
const point = new Array(dimensions);
parentPort.on('message', (message) => {
  try {
    if (message.kind === 'add') {
      const { positions, vectors } = message;
      for (let row = 0; row < positions.length; row += 1) {
        const offset = row * dimensions;
        for (let column = 0; column < dimensions; column += 1) point[column] = vectors[offset + column];
        shard.addPoint(point, positions[row]);
      }
    } else if (message.kind === 'save') {
      shard.writeIndexSync(message.file);
      parentPort.postMessage({ kind: 'saved', count: shard.getCurrentCount() });
      parentPort.close();
    }
  } catch (error) {
    parentPort.postMessage({ kind: 'failed', message: String(error && error.message || error) });
    parentPort.close();
  }
});
`;
