import { floatsAt, joinWords, wordsOf } from './binary-words.js';
import type { VectorHit } from './vector-index.js';

/** The nonzero components of every vector, by column (see SparseColumns and encodeColumns). */
export const COLUMNS_FILE = 'vectors.csc';

/**
 * Every vector of an index stored again by column, nonzero components only (compressed sparse columns): column d holds
 * the positions `rows[columnStart[d]..columnStart[d+1])`, ascending, with their values. A passage embedded by the local
 * hashing embedder has about a quarter of its 512 components set, so this is about half the size of the vectors
 * themselves, and an exact search touches only the nonzero entries of the query's columns.
 */
export interface SparseColumns {
  readonly size: number;
  readonly dimensions: number;
  readonly columnStart: Uint32Array;
  readonly rows: Uint32Array;
  readonly values: Float32Array;
}

/**
 * Exact nearest neighbours for sparse queries. A short question embedded by the local embedder has a handful of nonzero
 * components, and HNSW does worst on exactly those queries (their similarity landscape over the graph is flat: thousands
 * of passages share the same few features), while summing the nonzero entries of its columns is cheap: a question of
 * 20 features touches about 20 × 26,000 entries at 100,000 passages. The cost grows with the query's features, so the
 * adapter uses the scan only below a budget.
 */
export interface ColumnScan {
  readonly size: number;
  readonly dimensions: number;
  /** Multiply-adds an exact search for `query` costs: the stored entries of its nonzero columns, plus one pass over the scores. */
  cost(query: readonly number[]): number;
  /** The exact top `k` by dot product (cosine for normalised vectors), closest first, ties by position. */
  search(query: readonly number[], k: number): VectorHit[];
}

/** Positions whose scores are summed together: 8,192 float64 scores are 64 KiB, within a core's L2 cache. */
const SCAN_BLOCK = 8192;

export function createColumnScan(columns: SparseColumns): ColumnScan {
  const { size, dimensions, columnStart, rows, values } = columns;
  if (columnStart.length !== dimensions + 1 || columnStart[dimensions] !== rows.length || rows.length !== values.length) {
    throw new RangeError(`inconsistent sparse columns: ${columnStart.length} column starts, ${rows.length} rows, ${values.length} values`);
  }
  // Float64 sums: the benchmarks' exact ground truth sums in double precision, and ties are judged within 1e-6.
  const scores = new Float64Array(size);

  function cost(query: readonly number[]): number {
    let entries = size;
    for (let dimension = 0; dimension < dimensions; dimension += 1) {
      if (query[dimension] !== 0) entries += (columnStart[dimension + 1] as number) - (columnStart[dimension] as number);
    }
    return entries;
  }

  function search(query: readonly number[], k: number): VectorHit[] {
    scores.fill(0);
    const active: number[] = [];
    for (let dimension = 0; dimension < dimensions; dimension += 1) if (query[dimension] !== 0) active.push(dimension);
    const weights = Float64Array.from(active, (dimension) => query[dimension] as number);
    const cursors = Uint32Array.from(active, (dimension) => columnStart[dimension] as number);
    const ends = Uint32Array.from(active, (dimension) => columnStart[dimension + 1] as number);
    // Block by block of positions, every column's entries in the block: the scores being added to stay in the cache
    // (scattered over all 100,000 scores at once, each addition missed it and the scan ran about 4 times slower).
    for (let blockEnd = SCAN_BLOCK; blockEnd < size + SCAN_BLOCK; blockEnd += SCAN_BLOCK) {
      for (let column = 0; column < active.length; column += 1) {
        const weight = weights[column] as number;
        const end = ends[column] as number;
        let entry = cursors[column] as number;
        for (; entry < end; entry += 1) {
          const position = rows[entry] as number;
          if (position >= blockEnd) break;
          scores[position] = (scores[position] as number) + weight * (values[entry] as number);
        }
        cursors[column] = entry;
      }
    }
    return topK(scores, Math.min(k, size));
  }

  return { size, dimensions, cost, search };
}

/**
 * Gathers the columns while vectors arrive in position order (as the build embeds them): the nonzero entries are kept
 * in arrival order, then sorted by column once (a counting sort, so rows stay ascending within a column).
 */
export interface ColumnCollector {
  add(position: number, vector: readonly number[]): void;
  finish(): SparseColumns;
}

export function createColumnCollector(size: number, dimensions: number): ColumnCollector {
  let capacity = Math.max(1024, size * 32);
  let entryRows = new Uint32Array(capacity);
  let entryColumns = new Uint16Array(capacity);
  let entryValues = new Float32Array(capacity);
  let count = 0;
  if (dimensions > 65_536) throw new RangeError(`the column scan supports up to 65,536 dimensions, not ${dimensions}`);

  let positionsSeen = 0;

  /** Grows to what the vectors so far predict for all `size` of them (by half at least). */
  function grow(): void {
    const predicted = positionsSeen > 0 ? Math.ceil((count / positionsSeen) * size * 1.05) : 0;
    capacity = Math.max(Math.ceil(capacity * 1.5), predicted);
    const rows = new Uint32Array(capacity);
    rows.set(entryRows);
    const columns = new Uint16Array(capacity);
    columns.set(entryColumns);
    const values = new Float32Array(capacity);
    values.set(entryValues);
    entryRows = rows;
    entryColumns = columns;
    entryValues = values;
  }

  return {
    add(position, vector) {
      positionsSeen = Math.max(positionsSeen, position + 1);
      for (let dimension = 0; dimension < dimensions; dimension += 1) {
        const value = vector[dimension] as number;
        if (value === 0) continue;
        if (count === capacity) grow();
        entryRows[count] = position;
        entryColumns[count] = dimension;
        entryValues[count] = value;
        count += 1;
      }
    },
    finish() {
      const columnStart = new Uint32Array(dimensions + 1);
      for (let entry = 0; entry < count; entry += 1) {
        const column = entryColumns[entry] as number;
        columnStart[column + 1] = (columnStart[column + 1] as number) + 1;
      }
      for (let dimension = 0; dimension < dimensions; dimension += 1) {
        columnStart[dimension + 1] = (columnStart[dimension + 1] as number) + (columnStart[dimension] as number);
      }
      const next = columnStart.slice(0, dimensions);
      const rows = new Uint32Array(count);
      const values = new Float32Array(count);
      for (let entry = 0; entry < count; entry += 1) {
        const column = entryColumns[entry] as number;
        const slot = next[column] as number;
        next[column] = slot + 1;
        rows[slot] = entryRows[entry] as number;
        values[slot] = entryValues[entry] as number;
      }
      return { size, dimensions, columnStart, rows, values };
    },
  };
}

/** The file: uint32 size, dimensions, entries; then columnStart (dimensions + 1), rows (uint32), values (float32). */
export function encodeColumns(columns: SparseColumns): Uint8Array {
  return joinWords([
    Uint32Array.of(columns.size, columns.dimensions, columns.rows.length),
    columns.columnStart,
    columns.rows,
    columns.values,
  ]);
}

export function decodeColumns(content: Uint8Array): SparseColumns {
  const words = wordsOf(content, COLUMNS_FILE);
  const [size, dimensions, entries] = [words[0] ?? 0, words[1] ?? 0, words[2] ?? 0];
  if (words.length !== 3 + dimensions + 1 + 2 * entries)
    throw new Error(`${COLUMNS_FILE} holds ${words.length} words, expected ${4 + dimensions + 2 * entries}`);
  const columnStart = words.subarray(3, 4 + dimensions);
  const rows = words.subarray(4 + dimensions, 4 + dimensions + entries);
  const values = floatsAt(words, 4 + dimensions + entries, entries);
  return { size, dimensions, columnStart, rows, values };
}

/** The k largest scores, best first, ties by position: one pass with a sorted buffer (k is small). */
function topK(scores: Float64Array, k: number): VectorHit[] {
  if (k <= 0) return [];
  const positions = new Int32Array(k);
  const best = new Float64Array(k);
  let filled = 0;
  for (let position = 0; position < scores.length; position += 1) {
    const score = scores[position] as number;
    if (filled === k && score <= (best[k - 1] as number)) continue;
    let slot = filled < k ? filled : k - 1;
    while (slot > 0 && (best[slot - 1] as number) < score) {
      best[slot] = best[slot - 1] as number;
      positions[slot] = positions[slot - 1] as number;
      slot -= 1;
    }
    best[slot] = score;
    positions[slot] = position;
    if (filled < k) filled += 1;
  }
  return Array.from({ length: filled }, (_, rank) => ({ position: positions[rank] as number, similarity: best[rank] as number }));
}
