import type { ChunkRecord } from '../ingest/chunk-types.js';
import type { GlossaryTerm } from '../ingest/glossary.js';
import { escapeRegExp } from '../support/escape-regexp.js';

/** A concept of the corpus a learner can cover: a glossary term the article dwells on or names in a heading. */
export interface Concept {
  /** The Chinese term, as the article writes it. */
  readonly id: string;
  readonly label: string;
  /** Its English rendering. */
  readonly gloss: string;
  /** Passages that use the term, in reading order. */
  readonly chunkIds: readonly string[];
  /** The passage that dwells on the term most (most occurrences, then first): reading it is learning the concept. */
  readonly primaryChunkId: string;
}

export interface ConceptProgress {
  readonly concepts: readonly (Concept & { readonly covered: boolean })[];
  readonly coveredCount: number;
  readonly total: number;
  /** The first concept in reading order the conversation has not covered yet. */
  readonly next?: Concept;
}

/** Words too general to be something a learner "learns" (task, effect, time...). */
const GENERIC_CONCEPTS = new Set([
  '任务',
  '新任务',
  '参数',
  '训练',
  '效果',
  '性能',
  '知识',
  '准确',
  '阶段',
  '优化',
  '时间',
  '比如',
  '例如',
  '区别',
  '共性',
  '口味',
  '味道',
  '菜肴',
  '更快',
  '长期',
  '行为',
  '策略',
  '预测',
  '效率',
  '意图',
  '词汇',
]);

/** Whether a term is too general to be a concept or the topic of a question (任务, 效果, 时间...). */
export const isGenericConcept = (term: string): boolean => GENERIC_CONCEPTS.has(term);

/**
 * A setting frame: the term only says where or in what light something else happens (在机器学习中, 在大规模数据集上训练,
 * 在…模型时, 根据上下文, 对于大模型来说). What the article tells about such a term is nothing, so it is no concept to learn.
 */
function settingFrames(term: string): RegExp {
  const escaped = escapeRegExp(term);
  return new RegExp(`在[^,，。;；:：]{0,12}${escaped}[^,，。;；:：]{0,6}?(?:中|上|时|里|内)|根据${escaped}|对于${escaped}来说`, 'g');
}

/** Whether a passage uses the term other than in a setting frame: as something the sentence is about. */
function saysSomethingAbout(text: string, term: string, frames: RegExp = settingFrames(term)): boolean {
  return text.replace(frames, '').includes(term);
}

/**
 * The concepts of a corpus, derived from its glossary and headings: every non-generic glossary term that at least two
 * passages use or that a heading names, in order of first appearance; a term the text uses only as a setting (在机器学习中)
 * is not one. A term inside a longer concept with the same passages (预训练 in 预训练模型) is left to the longer one.
 */
export function buildConceptMap(chunks: readonly ChunkRecord[], terms: readonly GlossaryTerm[]): Concept[] {
  const candidates = terms
    .filter((term) => !GENERIC_CONCEPTS.has(term.zh) && [...term.zh].length >= 2)
    .map((term) => {
      const using = chunks.filter(
        (chunk) => chunk.text.includes(term.zh) || chunk.headingPath.some((heading) => heading.includes(term.zh)),
      );
      const named = chunks.some((chunk) => chunk.headingPath.some((heading) => heading.includes(term.zh)));
      return { term, using, named };
    })
    .filter((candidate) => candidate.using.length >= 2 || (candidate.named && candidate.using.length > 0))
    .filter((candidate) => {
      const frames = settingFrames(candidate.term.zh);
      return candidate.named || candidate.using.some((chunk) => saysSomethingAbout(chunk.text, candidate.term.zh, frames));
    });
  const kept = candidates.filter(
    (candidate) =>
      !candidates.some(
        (other) => other !== candidate && other.term.zh.includes(candidate.term.zh) && other.using.length >= candidate.using.length - 1,
      ),
  );
  const order = new Map(chunks.map((chunk, position) => [chunk.chunkId, position]));
  return kept
    .map((candidate) => {
      const occurrences = (chunk: ChunkRecord): number =>
        chunk.text.split(candidate.term.zh).length - 1 + (chunk.headingPath.some((heading) => heading.includes(candidate.term.zh)) ? 2 : 0);
      const primary = candidate.using.reduce((best, chunk) => (occurrences(chunk) > occurrences(best) ? chunk : best));
      return {
        id: candidate.term.zh,
        label: candidate.term.zh,
        gloss: candidate.term.gloss,
        chunkIds: candidate.using.map((chunk) => chunk.chunkId),
        primaryChunkId: primary.chunkId,
      };
    })
    .sort((left, right) => (order.get(left.chunkIds[0] as string) ?? 0) - (order.get(right.chunkIds[0] as string) ?? 0));
}

/** A sentence an answer cited: its passage and its text (the whole passage when the citation named no sentence). */
export interface CitedSentence {
  readonly chunkId: string;
  readonly text: string;
}

/**
 * Which concepts a conversation has covered: those its questions were about (the standalone queries name them), and
 * those a cited sentence names in the concept's primary passage, where the article dwells on it. A term merely
 * appearing in a cited passage does not count: 微调 is in every passage, and one answer about fine-tuning has not
 * taught 机器学习 because its passage's first sentence mentions it.
 */
export function measureProgress(
  concepts: readonly Concept[],
  conversation: { readonly citedSentences: Iterable<CitedSentence>; readonly askedQueries: readonly string[] },
): ConceptProgress {
  const citedByChunk = new Map<string, string[]>();
  for (const sentence of conversation.citedSentences) {
    const texts = citedByChunk.get(sentence.chunkId) ?? [];
    texts.push(sentence.text);
    citedByChunk.set(sentence.chunkId, texts);
  }
  const askedAbout = (concept: Concept): boolean => conversation.askedQueries.some((query) => query.includes(concept.label));
  const cited = (concept: Concept): boolean =>
    (citedByChunk.get(concept.primaryChunkId) ?? []).some((text) => text.includes(concept.label));
  const marked = concepts.map((concept) => ({ ...concept, covered: cited(concept) || askedAbout(concept) }));
  const next = marked.find((concept) => !concept.covered);
  const coveredCount = marked.filter((concept) => concept.covered).length;
  const { covered: _covered, ...nextConcept } = next ?? { covered: false };
  return {
    concepts: marked,
    coveredCount,
    total: marked.length,
    ...(next ? { next: nextConcept as Concept } : {}),
  };
}
