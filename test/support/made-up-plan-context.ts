import type { GlossaryTerm } from '../../src/ingest/glossary.js';
import type { PlanContext } from '../../src/tutor/offline/plan-types.js';
import { type EvidenceSentence, labelsOf } from '../../src/tutor/offline/sentence-evidence.js';

/**
 * A plan context over sentences of made-up passages (chunk ids `c0`, `c1`… in reading order), for plan tests whose
 * terms no real corpus has: every passage retrieved, every word used by the corpus, the default plan settings.
 */
export function madeUpPlanContext(options: {
  readonly kind: PlanContext['kind'];
  readonly query: string;
  readonly topics: readonly GlossaryTerm[];
  readonly glossary: readonly GlossaryTerm[];
  readonly pool: readonly EvidenceSentence[];
  readonly passages: number;
  /** @default [] */
  readonly queryTerms?: readonly string[];
}): PlanContext {
  const { glossary, pool } = options;
  return {
    kind: options.kind,
    query: options.query,
    topics: options.topics,
    vehicles: [],
    termLabels: new Set(glossary.flatMap((entry) => labelsOf(entry.zh))),
    termOf: (label) => glossary.find((entry) => labelsOf(entry.zh).includes(label)),
    glossary,
    queryTerms: options.queryTerms ?? [],
    pool,
    retrievedIds: new Set(pool.map((sentence) => sentence.chunk.chunkId)),
    order: new Map(Array.from({ length: options.passages }, (_unused, index) => [`c${index}`, index])),
    corpusUses: () => true,
    settings: { maxSentences: 4, maxQuotedChars: 420, redundancyThreshold: 0.5, minCoverageGain: 0.15 },
    bigrams: (text) => new Set([...text].slice(1).map((character, index) => `${text[index]}${character}`)),
  };
}
