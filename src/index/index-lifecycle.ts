import { isTutorError, TutorError } from '../errors/tutor-error.js';
import type { LoadedCorpus } from '../ingest/corpus-loader.js';
import { loadCorpus } from '../ingest/corpus-loader.js';
import type { Logger } from '../support/logger.js';
import type { CorpusIndex, CorpusIndexStore, IndexProgress } from './corpus-index-store.js';

/** The index a process serves from, and how it gets and replaces it. */
export interface IndexLifecycle {
  /** The index in use; throws a TutorError NOT_READY before `ensureIndex` has succeeded once. */
  currentIndex(): CorpusIndex;
  hasIndex(): boolean;
  /**
   * Loads the saved index when it matches the corpus and embedder, else rebuilds it (saying why in the log), and swaps
   * it in. Readers keep the previous index until the new one is complete.
   */
  ensureIndex(options?: { readonly force?: boolean; readonly onProgress?: (progress: IndexProgress) => void }): Promise<EnsureIndexResult>;
  /**
   * Follows the current-build pointer that `npm run ingest` (in any process) moves once a build is complete: when it
   * names a build other than the one in use, loads and verifies that build, then swaps it in with one assignment.
   * Searches already running keep the index object they started with. A build that cannot serve here (corrupt, made
   * with another embedder) is refused once with a warning and the index in use stays. Does nothing before the first
   * `ensureIndex`; concurrent calls share one reload. Never rejects.
   */
  reloadIfChanged(): Promise<IndexReloadResult>;
}

export type IndexReloadResult =
  | { readonly status: 'unchanged' }
  | { readonly status: 'reloaded'; readonly buildId: string; readonly previousBuildId: string; readonly chunks: number }
  | { readonly status: 'refused'; readonly buildId: string; readonly reason: string };

/** Why an index was (re)built. */
export type RebuildReason = 'requested' | 'corrupt' | 'missing' | 'stale';

export interface EnsureIndexResult {
  readonly index: CorpusIndex;
  readonly rebuilt: boolean;
  /** Why it was rebuilt, for people; undefined when the saved index was used. */
  readonly reason?: string;
  /** Why it was rebuilt, for code; undefined when the saved index was used. */
  readonly rebuildReason?: RebuildReason;
  readonly corpus: LoadedCorpus;
  readonly elapsedMs: number;
}

export interface IndexLifecycleDeps {
  readonly store: CorpusIndexStore;
  readonly corpusDir: string;
  /** Id of the embedder this process embeds questions with; a build made with another one is refused. */
  readonly embedderId: string;
  readonly logger: Logger;
}

export function createIndexLifecycle(deps: IndexLifecycleDeps): IndexLifecycle {
  const { store, logger } = deps;
  const embedder = { id: deps.embedderId };
  let index: CorpusIndex | undefined;
  const currentIndex = (): CorpusIndex => {
    if (!index) throw new TutorError('NOT_READY', 'The index is not loaded yet');
    return index;
  };

  async function ensureIndex(
    options: { force?: boolean; onProgress?: (progress: IndexProgress) => void } = {},
  ): Promise<EnsureIndexResult> {
    const started = performance.now();
    const corpus = await loadCorpus(deps.corpusDir);
    for (const warning of corpus.warnings) logger.warn({ file: warning.file }, `Corpus file ${warning.file} skipped: ${warning.message}`);
    const manifest = options.force ? undefined : await store.readCurrentManifest();
    const verdict = options.force
      ? { fresh: false as const, reason: 'a rebuild was requested' }
      : store.checkFreshness(manifest, corpus.corpusHash);
    if (verdict.fresh) {
      try {
        const loaded = await store.load();
        if (loaded) {
          index = loaded;
          return { index: loaded, rebuilt: false, corpus, elapsedMs: performance.now() - started };
        }
      } catch (error) {
        if (!isTutorError(error, 'INDEX_CORRUPT')) throw error;
        logger.warn({ err: error }, `Rebuilding the index: ${error.message}`);
        return rebuild(corpus, 'corrupt', 'the saved index is corrupt', options.onProgress, started);
      }
    }
    if (options.force) return rebuild(corpus, 'requested', 'a rebuild was requested', options.onProgress, started);
    if (verdict.fresh || manifest === undefined)
      return rebuild(corpus, 'missing', 'no index has been built yet', options.onProgress, started);
    return rebuild(corpus, 'stale', verdict.reason, options.onProgress, started);
  }

  async function rebuild(
    corpus: LoadedCorpus,
    rebuildReason: RebuildReason,
    reason: string,
    onProgress: ((progress: IndexProgress) => void) | undefined,
    started: number,
  ): Promise<EnsureIndexResult> {
    logger.info({ reason }, `Rebuilding the index: ${reason}`);
    return store.withBuildLock(async () => {
      // Another process may have built the same corpus while this one waited for the lock.
      if (rebuildReason === 'missing' || rebuildReason === 'stale') {
        const verdict = store.checkFreshness(await store.readCurrentManifest(), corpus.corpusHash);
        if (verdict.fresh) {
          const loaded = await store.load().catch(() => undefined);
          if (loaded) {
            index = loaded;
            return { index: loaded, rebuilt: false, corpus, elapsedMs: performance.now() - started };
          }
        }
      }
      const built = await store.build(corpus, onProgress);
      index = built;
      logger.info(
        { documents: built.manifest.documentCount, chunks: built.manifest.chunkCount, embedder: built.manifest.embedder.id },
        'Index built',
      );
      return { index: built, rebuilt: true, reason, rebuildReason, corpus, elapsedMs: performance.now() - started };
    });
  }

  let reloading: Promise<IndexReloadResult> | undefined;
  /** Builds refused once are not loaded again (a new ingest writes a new build id); build id -> why. */
  const refusedBuilds = new Map<string, string>();

  function refuse(buildId: string, reason: string, error?: unknown): IndexReloadResult {
    refusedBuilds.set(buildId, reason);
    logger.warn(
      { buildId, err: error },
      `Not switching to index build ${buildId}: ${reason}; still serving build ${index?.manifest.buildId}`,
    );
    return { status: 'refused', buildId, reason };
  }

  async function reloadOnce(): Promise<IndexReloadResult> {
    const inUse = index;
    if (!inUse) return { status: 'unchanged' };
    const pointed = await store.readCurrentManifest();
    if (!pointed || pointed.buildId === inUse.manifest.buildId) return { status: 'unchanged' };
    const refused = refusedBuilds.get(pointed.buildId);
    if (refused !== undefined) return { status: 'refused', buildId: pointed.buildId, reason: refused };
    const incompatible = (manifest: CorpusIndex['manifest']): string | undefined =>
      manifest.embedder?.id === embedder.id
        ? undefined
        : `it was built with the embedder ${manifest.embedder?.id}, this node embeds questions with ${embedder.id} (restart the node with the same settings as the ingest)`;
    const reason = incompatible(pointed);
    if (reason !== undefined) return refuse(pointed.buildId, reason);
    let loaded: CorpusIndex | undefined;
    try {
      loaded = await store.load();
    } catch (error) {
      return refuse(pointed.buildId, `${(error as Error).message}`, error);
    }
    // The pointer may have moved again while loading: whatever was loaded is complete and verified, but check it too.
    if (!loaded || loaded.manifest.buildId === inUse.manifest.buildId) return { status: 'unchanged' };
    const loadedReason = incompatible(loaded.manifest);
    if (loadedReason !== undefined) return refuse(loaded.manifest.buildId, loadedReason);
    // ensureIndex may have swapped in a build meanwhile; the next check compares against that one.
    if (index !== inUse) return { status: 'unchanged' };
    index = loaded;
    logger.info(
      {
        buildId: loaded.manifest.buildId,
        previousBuildId: inUse.manifest.buildId,
        chunks: loaded.chunks.length,
        documents: loaded.manifest.documentCount,
      },
      `Switched to index build ${loaded.manifest.buildId} (${loaded.chunks.length} chunks)`,
    );
    return { status: 'reloaded', buildId: loaded.manifest.buildId, previousBuildId: inUse.manifest.buildId, chunks: loaded.chunks.length };
  }

  function reloadIfChanged(): Promise<IndexReloadResult> {
    reloading ??= reloadOnce()
      .catch((error: unknown): IndexReloadResult => {
        logger.warn({ err: error }, 'Could not check for a new index build');
        return { status: 'unchanged' };
      })
      .finally(() => {
        reloading = undefined;
      });
    return reloading;
  }

  return { currentIndex, hasIndex: () => index !== undefined, ensureIndex, reloadIfChanged };
}
