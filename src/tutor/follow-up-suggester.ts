import type { ChunkRecord, Language } from '../ingest/chunk-types.js';
import type { GlossaryTerm } from '../ingest/glossary.js';
import type { PassageSearch } from '../retrieval/retrieval-types.js';
import type { TextAnalyzer } from '../retrieval/text-analyzer.js';
import { buildConceptMap, type Concept } from './concept-map.js';
import type { ConversationTurn } from './tutor-types.js';

export interface FollowUpRequest {
  readonly language: Language;
  readonly history: readonly ConversationTurn[];
  /** Chunks the current answer cites; suggestions prefer the passages that come next and were not yet covered. */
  readonly citedChunkIds: readonly string[];
  /** The standalone query just answered; its topics are not suggested again. */
  readonly question: string;
}

export interface FollowUpSuggester {
  suggest(request: FollowUpRequest): Promise<string[]>;
}

export interface FollowUpSuggesterSettings {
  /** Suggestions per answer. @default 3 */
  readonly count: number;
  /** Candidate questions tried (each costs one search) before giving up. @default 12 */
  readonly maxCandidates: number;
  /**
   * Answerability verdicts (candidate question × target passage) remembered per index build, least recently used
   * dropped first. Candidates come from a fixed set of templates and glossary terms, so the same checks recur for
   * every learner. @default 5000
   */
  readonly verdictCacheSize: number;
}

interface Candidate {
  readonly question: string;
  readonly targetChunkId: string;
  readonly topic: string;
}

const GENERIC_TERMS = new Set([
  '区别',
  '例如',
  '比如',
  '共性',
  '任务',
  '参数',
  '训练',
  '时间',
  '知识',
  '效果',
  '性能',
  '行为',
  '长期',
  '更快',
  '准确',
  '阶段',
  '策略',
  '预测',
]);

/**
 * Suggests next questions that the corpus can answer, in the learner's language: questions about the key terms of the
 * passages next to those just cited, alternating with concepts the conversation has not covered yet (their primary
 * passages). Never a question already asked, a topic already asked about, or a suggestion shown under the previous
 * answer. Each candidate is searched and kept only if the search is covered and finds the passage it was made from, so
 * a suggestion never leads to a "not covered" answer.
 */
export function createFollowUpSuggester(deps: {
  readonly passageSearch: PassageSearch;
  readonly analyzer: TextAnalyzer;
  readonly settings?: Partial<FollowUpSuggesterSettings>;
}): FollowUpSuggester {
  const settings: FollowUpSuggesterSettings = { count: 3, maxCandidates: 12, verdictCacheSize: 5000, ...deps.settings };
  const { analyzer, passageSearch } = deps;
  /** Key terms of a passage: they depend on its text alone. */
  const keyTermsByChunk = new WeakMap<ChunkRecord, GlossaryTerm[]>();
  /** Verdicts per index build (keyed by its chunk list, which a rebuilt index replaces). */
  const verdictsByIndex = new WeakMap<readonly ChunkRecord[], Map<string, boolean>>();

  function memoisedKeyTerms(chunk: ChunkRecord): GlossaryTerm[] {
    let terms = keyTermsByChunk.get(chunk);
    if (!terms) keyTermsByChunk.set(chunk, (terms = keyTerms(chunk)));
    return terms;
  }

  /** Whether searching the question finds, among a covered result, the passage the question was made from. */
  async function isAnswerable(chunks: readonly ChunkRecord[], question: string, targetChunkId: string): Promise<boolean> {
    let verdicts = verdictsByIndex.get(chunks);
    if (!verdicts) verdictsByIndex.set(chunks, (verdicts = new Map()));
    const key = `${targetChunkId}\u0000${question}`;
    const known = verdicts.get(key);
    if (known !== undefined) return known;
    const result = await passageSearch.search(question, { k: 3 });
    const verdict = result.covered && result.passages.some((passage) => passage.chunk.chunkId === targetChunkId);
    verdicts.set(key, verdict);
    while (verdicts.size > settings.verdictCacheSize) verdicts.delete(verdicts.keys().next().value as string);
    return verdict;
  }

  function keyTerms(chunk: ChunkRecord): GlossaryTerm[] {
    const found = analyzer
      .findGlossaryTerms(`${chunk.headingPath.join(' ')} ${chunk.text}`)
      .filter((term) => !GENERIC_TERMS.has(term.zh) && term.zh.length >= 2);
    const specific = found.filter((term) => !found.some((other) => other !== term && other.zh.includes(term.zh)));
    // Terms the passage dwells on come first; a term named once in passing makes a weak question.
    const count = (term: GlossaryTerm): number => chunk.text.split(term.zh).length - 1;
    return specific.sort((left, right) => count(right) - count(left) || right.zh.length - left.zh.length);
  }

  function phrase(term: GlossaryTerm, chunk: ChunkRecord, language: Language, variant: number): string {
    const inAnalogy = chunk.headingPath.some((heading) => heading.includes('烹饪'));
    if (language === 'zh') {
      if (inAnalogy) return variant === 0 ? `在烹饪的例子里，${term.zh}指的是什么？` : `烹饪的例子里怎么讲${term.zh}？`;
      return variant === 0 ? `${term.zh}是什么意思？` : `文章是怎么讲${term.zh}的？`;
    }
    if (inAnalogy)
      return variant === 0 ? `What does ${term.gloss} mean in the cooking analogy?` : `How does the cooking example explain ${term.gloss}?`;
    return variant === 0 ? `What does the article say about ${term.gloss}?` : `How does the article explain ${term.gloss}?`;
  }

  /** Concepts of the corpus per index build, for "not yet covered" suggestions. */
  const conceptsByIndex = new WeakMap<readonly ChunkRecord[], Concept[]>();
  function conceptsOf(chunks: readonly ChunkRecord[]): Concept[] {
    let concepts = conceptsByIndex.get(chunks);
    if (!concepts) conceptsByIndex.set(chunks, (concepts = buildConceptMap(chunks, analyzer.glossary.terms)));
    return concepts;
  }

  return {
    async suggest(request) {
      const chunks = passageSearch.allChunks();
      const byId = new Map(chunks.map((chunk) => [chunk.chunkId, chunk]));
      const covered = new Set([...request.history.flatMap((turn) => turn.citedChunkIds), ...request.citedChunkIds]);
      const askedTopics = new Set(
        [...request.history.flatMap((turn) => [turn.searchedFor, turn.question]), request.question].flatMap((text) =>
          analyzer.findGlossaryTerms(text).map((term) => term.zh),
        ),
      );
      // Topics suggested under the previous answer: the learner saw them and chose another; suggest something new.
      const recentTopics = new Set(
        (request.history[request.history.length - 1]?.followUps ?? []).flatMap((text) =>
          analyzer.findGlossaryTerms(text).map((term) => term.zh),
        ),
      );
      const normalise = (text: string): string => text.replace(/[\s?？!！。.]/g, '').toLowerCase();
      // Never a question already asked, nor one suggested under the previous answer (the learner saw it and chose another).
      const excluded = new Set(
        [
          ...request.history.flatMap((turn) => [turn.question, turn.searchedFor]),
          ...(request.history[request.history.length - 1]?.followUps ?? []),
        ].map(normalise),
      );

      // First the passages next to those just cited (the next one in the same document, then the one before), then the
      // primary passages of concepts the conversation has not covered, in reading order.
      const neighbours: ChunkRecord[] = [];
      for (const chunkId of request.citedChunkIds) {
        const chunk = byId.get(chunkId);
        if (!chunk) continue;
        const position = chunks.indexOf(chunk);
        for (const step of [1, -1]) {
          const next = chunks[position + step];
          if (next && next.documentId === chunk.documentId && !covered.has(next.chunkId) && !neighbours.includes(next))
            neighbours.push(next);
        }
      }
      const freshConcepts = conceptsOf(chunks).filter((concept) => !askedTopics.has(concept.id) && !covered.has(concept.primaryChunkId));

      const candidates: Candidate[] = [];
      const usedTopics = new Set<string>();
      const conceptIds = new Set(freshConcepts.map((concept) => concept.id));
      const addFrom = (chunk: ChunkRecord, term: GlossaryTerm | undefined): void => {
        if (!term || usedTopics.has(term.zh)) return;
        // "在烹饪的例子里，烹饪指的是什么？" asks nothing: the term names the analogy itself.
        if (chunk.headingPath[0]?.includes(term.zh)) return;
        usedTopics.add(term.zh);
        for (const variant of [0, 1])
          candidates.push({ question: phrase(term, chunk, request.language, variant), targetChunkId: chunk.chunkId, topic: term.zh });
      };
      const fresh = (term: GlossaryTerm): boolean => !askedTopics.has(term.zh) && !usedTopics.has(term.zh) && !recentTopics.has(term.zh);
      const neighbourTerms = neighbours.map((chunk) => {
        const terms = memoisedKeyTerms(chunk).filter(fresh);
        return { chunk, term: terms.find((term) => conceptIds.has(term.zh)) ?? terms[0] };
      });
      const conceptTerms = freshConcepts.flatMap((concept) => {
        const chunk = byId.get(concept.primaryChunkId);
        const term = analyzer.glossary.terms.find((entry) => entry.zh === concept.id);
        return chunk && term ? [{ chunk, term }] : [];
      });
      // Alternate the two sources so the suggestions both continue the reading and open new concepts.
      for (let index = 0; index < Math.max(neighbourTerms.length, conceptTerms.length); index += 1) {
        for (const entry of [neighbourTerms[index], conceptTerms[index]])
          if (entry?.term && fresh(entry.term)) addFrom(entry.chunk, entry.term);
        if (candidates.length >= settings.maxCandidates) break;
      }
      // A conversation that has covered everything still gets suggestions: passages not cited yet, in reading order.
      if (candidates.length < settings.count * 2) {
        for (const chunk of chunks.filter((entry) => !covered.has(entry.chunkId))) {
          addFrom(chunk, memoisedKeyTerms(chunk).find(fresh));
          if (candidates.length >= settings.maxCandidates) break;
        }
      }

      const suggestions: string[] = [];
      const acceptedTopics = new Set<string>();
      for (const candidate of candidates) {
        if (suggestions.length >= settings.count) break;
        if (acceptedTopics.has(candidate.topic) || excluded.has(normalise(candidate.question))) continue;
        if (!(await isAnswerable(chunks, candidate.question, candidate.targetChunkId))) continue;
        suggestions.push(candidate.question);
        acceptedTopics.add(candidate.topic);
      }
      return suggestions;
    },
  };
}
