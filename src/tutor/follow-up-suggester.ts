import type { ChunkRecord, Language } from '../ingest/chunk-types.js';
import type { GlossaryTerm } from '../ingest/glossary.js';
import type { PassageSearch } from '../retrieval/retrieval-types.js';
import type { TextAnalyzer } from '../retrieval/text-analyzer.js';
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
 * Suggests next questions that the corpus can answer: questions about the key terms of passages the conversation has
 * not covered yet, the passages right after the ones just cited first (reading order), then the rest. Each candidate is
 * searched and kept only if the search is covered and finds the passage it was made from, so a suggestion never leads
 * to a "not covered" answer.
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

  return {
    async suggest(request) {
      const chunks = passageSearch.allChunks();
      const covered = new Set([...request.history.flatMap((turn) => turn.citedChunkIds), ...request.citedChunkIds]);
      const askedTopics = new Set(
        [...request.history.map((turn) => turn.searchedFor), request.question].flatMap((text) =>
          analyzer.findGlossaryTerms(text).map((term) => term.zh),
        ),
      );
      const askedQuestions = new Set(request.history.map((turn) => turn.question.trim()));
      const positions = request.citedChunkIds
        .map((chunkId) => chunks.findIndex((chunk) => chunk.chunkId === chunkId))
        .filter((position) => position >= 0);
      const anchor = positions.length > 0 ? Math.max(...positions) : -1;
      // Reading order from just after the cited passages, wrapping around; uncovered passages first.
      const ordered = chunks.map((_chunk, offset) => chunks[(anchor + 1 + offset) % chunks.length] as ChunkRecord);
      const uncoveredFirst = [
        ...ordered.filter((chunk) => !covered.has(chunk.chunkId)),
        ...ordered.filter((chunk) => covered.has(chunk.chunkId)),
      ];

      const candidates: Candidate[] = [];
      const usedTopics = new Set<string>();
      for (const chunk of uncoveredFirst) {
        const term = memoisedKeyTerms(chunk).find((candidate) => !askedTopics.has(candidate.zh) && !usedTopics.has(candidate.zh));
        if (!term) continue;
        usedTopics.add(term.zh);
        for (const variant of [0, 1])
          candidates.push({ question: phrase(term, chunk, request.language, variant), targetChunkId: chunk.chunkId, topic: term.zh });
        if (candidates.length >= settings.maxCandidates) break;
      }

      const suggestions: string[] = [];
      const acceptedTopics = new Set<string>();
      for (const candidate of candidates) {
        if (suggestions.length >= settings.count) break;
        if (acceptedTopics.has(candidate.topic) || askedQuestions.has(candidate.question)) continue;
        if (!(await isAnswerable(chunks, candidate.question, candidate.targetChunkId))) continue;
        suggestions.push(candidate.question);
        acceptedTopics.add(candidate.topic);
      }
      return suggestions;
    },
  };
}
