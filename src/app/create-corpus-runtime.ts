import type { TutorConfig } from '../config.js';
import { type CorpusIndexStore, createCorpusIndexStore, type EmbedderDescriptor } from '../index/corpus-index-store.js';
import { createIndexLifecycle, type IndexLifecycle } from '../index/index-lifecycle.js';
import { loadGlossary } from '../ingest/glossary.js';
import { createEmbedderFromConfig } from '../providers/provider-registry.js';
import { createHybridPassageSearch } from '../retrieval/hybrid-passage-search.js';
import { PassageRetriever } from '../retrieval/passage-retriever.js';
import type { PassageSearch } from '../retrieval/retrieval-types.js';
import { createTextAnalyzer, type TextAnalyzer } from '../retrieval/text-analyzer.js';
import type { Logger } from '../support/logger.js';
import { createFollowUpResolver, type StandaloneQueryResolver } from '../tutor/follow-up-resolver.js';
import { createFollowUpSuggester, type FollowUpSuggester } from '../tutor/follow-up-suggester.js';
import { createOfflineTutorAnswerer } from '../tutor/offline-tutor-answerer.js';
import type { TutorAnswerer } from '../tutor/tutor-types.js';

/**
 * Everything that answers from the corpus (analyzer, embedder, index and its lifecycle, search, the offline answerer),
 * wired once per process by the app root (create-app.ts).
 */
export interface CorpusRuntime extends IndexLifecycle {
  readonly analyzer: TextAnalyzer;
  readonly embedder: EmbedderDescriptor;
  readonly store: CorpusIndexStore;
  readonly passageSearch: PassageSearch & Pick<ReturnType<typeof createHybridPassageSearch>, 'searchWithEvidence'>;
  /** The same search as a LangChain retriever, for LangChain chains and agents. */
  readonly retriever: PassageRetriever;
  readonly resolveStandaloneQuery: StandaloneQueryResolver;
  readonly followUpSuggester: FollowUpSuggester;
  readonly offlineAnswerer: TutorAnswerer;
}

export async function createCorpusRuntime(deps: { readonly config: TutorConfig; readonly logger: Logger }): Promise<CorpusRuntime> {
  const { config, logger } = deps;
  const glossary = await loadGlossary(config.glossaryFile);
  const analyzer = createTextAnalyzer({ glossary });
  const embedder = createEmbedderFromConfig(config, analyzer);
  const store = createCorpusIndexStore({ dataDir: config.dataDir, embedder, analyzer, chunker: config.chunker });
  const lifecycle = createIndexLifecycle({ store, corpusDir: config.corpusDir, embedderId: embedder.id, logger });
  const currentIndex = lifecycle.currentIndex;
  const passageSearch = createHybridPassageSearch({
    getIndex: currentIndex,
    analyzer,
    embeddings: embedder.embeddings,
    settings: { coverageThreshold: config.retrieval.coverageThreshold },
  });
  const resolveStandaloneQuery = createFollowUpResolver({ analyzer });
  const followUpSuggester = createFollowUpSuggester({ passageSearch, analyzer });
  const offlineAnswerer = createOfflineTutorAnswerer({
    passageSearch,
    analyzer,
    resolveStandaloneQuery,
    followUpSuggester,
    settings: { passagesToRead: config.retrieval.topK },
  });

  return {
    analyzer,
    embedder,
    store,
    passageSearch,
    retriever: new PassageRetriever({ passageSearch, k: config.retrieval.topK }),
    resolveStandaloneQuery,
    followUpSuggester,
    offlineAnswerer,
    currentIndex,
    hasIndex: lifecycle.hasIndex,
    ensureIndex: lifecycle.ensureIndex,
    reloadIfChanged: lifecycle.reloadIfChanged,
  };
}
