import type { IndexLifecycle } from '../index/index-lifecycle.js';
import type { PassageSearch } from '../retrieval/retrieval-types.js';

/**
 * What the server needs of the corpus runtime: whether an index is loaded, the index itself (documents for the demo
 * page and passage context), passages by id, and the embedder's id for /api/health. The app root passes its whole
 * CorpusRuntime; the server depends on no more than this.
 */
export interface ServedCorpus extends Pick<IndexLifecycle, 'hasIndex' | 'currentIndex'> {
  readonly passageSearch: Pick<PassageSearch, 'getChunk'>;
  readonly embedder: { readonly id: string };
}
