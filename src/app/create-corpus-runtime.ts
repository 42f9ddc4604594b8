import type { TutorConfig } from '../config.js';
import { type CorpusIndexStore, createCorpusIndexStore, type EmbedderDescriptor } from '../index/corpus-index-store.js';
import { createIndexLifecycle, type IndexLifecycle } from '../index/index-lifecycle.js';
import { loadGlossary } from '../ingest/glossary.js';
import { LocalHashingEmbeddings } from '../providers/local-embeddings.js';
import { createEmbedderFromConfig } from '../providers/provider-registry.js';
import { createCorpusLexiconStore } from '../retrieval/corpus-dictionary-store.js';
import { createHybridPassageSearch } from '../retrieval/hybrid-passage-search.js';
import type { PassageRetriever } from '../retrieval/passage-retriever.js';
import { createQueryUnderstanding, type QueryUnderstanding } from '../retrieval/query-understanding.js';
import type { PassageSearch } from '../retrieval/retrieval-types.js';
import { createTextAnalyzer, type TextAnalyzer } from '../retrieval/text-analyzer.js';
import type { Logger } from '../support/logger.js';
import { createFollowUpResolver, type StandaloneQueryResolver } from '../tutor/follow-up-resolver.js';
import { createFollowUpSuggester, type FollowUpSuggester } from '../tutor/follow-up-suggester.js';
import { createOfflineTutorAnswerer } from '../tutor/offline/offline-tutor-answerer.js';
import { withQueryCorrections } from '../tutor/query-corrections.js';
import { withSmallTalk } from '../tutor/small-talk-answerer.js';
import type { TutorAnswerer } from '../tutor/tutor-types.js';

/**
 * Everything that answers from the corpus (analyzer, embedder, index and its lifecycle, search, the offline answerer),
 * wired once per process by the app root (create-app.ts).
 */
export interface CorpusRuntime extends IndexLifecycle {
  readonly analyzer: TextAnalyzer;
  /** Pinyin typo correction, CC-CEDICT bridges and English glosses against the current index's vocabulary. */
  readonly understanding: QueryUnderstanding;
  readonly embedder: EmbedderDescriptor;
  readonly store: CorpusIndexStore;
  readonly passageSearch: PassageSearch & Pick<ReturnType<typeof createHybridPassageSearch>, 'searchWithEvidence'>;
  /**
   * The same search as a LangChain retriever (RETRIEVAL_TOP_K passages), for LangChain chains and agents. Made on
   * request: its module loads most of `@langchain/core` (runnables, callbacks, langsmith), which no offline answer uses.
   */
  createRetriever(): Promise<PassageRetriever>;
  readonly resolveStandaloneQuery: StandaloneQueryResolver;
  readonly followUpSuggester: FollowUpSuggester;
  readonly offlineAnswerer: TutorAnswerer;
  /**
   * Settles when the background warm-up of the index in use (`FollowUpSuggester.warmUp`, started whenever an index
   * is swapped in, with the local embedder only) has finished or stopped; never rejects. Serving does not wait for it;
   * benchmarks and tests do.
   */
  whenWarm(): Promise<void>;
}

export async function createCorpusRuntime(deps: { readonly config: TutorConfig; readonly logger: Logger }): Promise<CorpusRuntime> {
  const { config, logger } = deps;
  const glossary = await loadGlossary(config.glossaryFile);
  const analyzer = createTextAnalyzer({ glossary });
  const embedder = await createEmbedderFromConfig(config, analyzer);
  const store = createCorpusIndexStore({ dataDir: config.dataDir, embedder, analyzer, chunker: config.chunker });
  const lifecycle = createIndexLifecycle({ store, corpusDir: config.corpusDir, embedderId: embedder.id, logger });
  const currentIndex = lifecycle.currentIndex;
  const understanding = createQueryUnderstanding({
    analyzer,
    getIndex: currentIndex,
    lexiconStore: createCorpusLexiconStore({ dataDir: config.dataDir }),
  });
  /** The lexicon of every index swapped in (read from its file, or derived and saved once); a failure only logs. */
  const prepareLexicon = async (derive = false): Promise<void> => {
    try {
      await understanding.prepare(currentIndex(), { derive });
    } catch (error) {
      logger.warn({ err: error }, 'No dictionary lexicon for this index: questions are read with the hand glossary only');
    }
  };
  const passageSearch = createHybridPassageSearch({
    getIndex: currentIndex,
    analyzer,
    embeddings: embedder.embeddings,
    settings: { coverageThreshold: config.retrieval.coverageThreshold },
    understanding,
  });
  const resolveFollowUp = createFollowUpResolver({ analyzer });
  // Typos first, so "那调角呢？" resolves as "那调教呢？" would.
  const resolveStandaloneQuery: StandaloneQueryResolver = (question, history) =>
    resolveFollowUp(understanding.correct(question).text, history);
  const followUpSuggester = createFollowUpSuggester({ passageSearch, analyzer });
  let warming: Promise<void> = Promise.resolve();
  // Each check is a search, and a search embeds its question: with the local embedder that is a hash, with a remote
  // one (EMBEDDINGS=openai) a paid request, about 62 of them at every start. Only local checks are made ahead; remote
  // ones are made when an answer first needs them (and remembered per index like every check).
  const warmsAhead = embedder.embeddings instanceof LocalHashingEmbeddings;
  /** Suggestion checks of the index just swapped in, in idle turns of the event loop; a failure only logs. */
  const warmUpSuggestions = (): void => {
    if (!warmsAhead) return;
    warming = followUpSuggester.warmUp().then(
      (report) => {
        if (report.failed > 0) logger.warn({ ...report }, 'Some follow-up suggestion checks failed ahead; answers will retry them');
      },
      (error: unknown) => logger.warn({ err: error }, 'Follow-up suggestion checks were not made ahead'),
    );
  };
  // Small talk ("谢谢", "hi") gets a generic reply before anything is searched; a greeting before a question is taken off.
  const offlineAnswerer = withSmallTalk({
    answerer: withQueryCorrections(
      understanding.correct,
      createOfflineTutorAnswerer({
        passageSearch,
        analyzer,
        resolveStandaloneQuery,
        followUpSuggester,
        readQuestion: (question) => understanding.correct(question).text,
        settings: { passagesToRead: config.retrieval.topK },
      }),
    ),
    detectLanguage: analyzer.detectLanguage,
    suggestFollowUps: (request) => followUpSuggester.suggest(request),
  });

  return {
    analyzer,
    understanding,
    embedder,
    store,
    passageSearch,
    async createRetriever() {
      const { PassageRetriever } = await import('../retrieval/passage-retriever.js');
      return new PassageRetriever({ passageSearch, k: config.retrieval.topK });
    },
    resolveStandaloneQuery,
    followUpSuggester,
    offlineAnswerer,
    whenWarm: () => warming,
    currentIndex,
    hasIndex: lifecycle.hasIndex,
    async ensureIndex(options) {
      const started = performance.now();
      const result = await lifecycle.ensureIndex(options);
      // The dictionary subset is read from its file, or derived and saved now, before the index is announced ready:
      // never inside a learner's first question (deriving takes about 2 s).
      await prepareLexicon(true);
      // After the lexicon: a check is a search, which reads it.
      warmUpSuggestions();
      return { ...result, elapsedMs: performance.now() - started };
    },
    async reloadIfChanged() {
      const result = await lifecycle.reloadIfChanged();
      if (result.status === 'reloaded') {
        await prepareLexicon(true);
        warmUpSuggestions();
      }
      return result;
    },
  };
}
