import type { ChunkRecord, Language } from '../ingest/chunk-types.js';
import type { QueryCorrection } from '../shared/chat-protocol.js';
import { findHeldSentence, type HeldBy, measureProseLanguage, overlaps, type ProseLanguage } from './answer-checks.js';
import type { CaseRecord } from './case-runner.js';
import type { CorpusSentence, CorpusSentences } from './corpus-sentences.js';
import { type CaseCategory, type EvaluationCase, evidencePhrases, requirementGroups } from './evaluation-cases.js';

/** Ranking of passages for a query before the coverage cut (what hit@k and calibration measure). */
export type PassageRanker = (
  query: string,
) => Promise<{ readonly ranked: readonly { readonly chunk: ChunkRecord }[]; readonly confidence: number }>;

export interface RequirementOutcome {
  /** The alternatives of one `must` entry (or one side). */
  readonly phrases: readonly string[];
  /** How the answer holds it; undefined when it does not. */
  readonly heldBy?: HeldBy;
}

export interface CaseOutcome {
  readonly id: string;
  readonly category: CaseCategory;
  readonly language: Language;
  readonly covered: boolean;
  readonly turnCount: number;
  readonly searchedFor: string;
  /** Evidence strength the covered/not-covered verdict was made on. */
  readonly confidence: number;
  readonly grounded: boolean;
  /** 1-based rank of the first relevant passage among the ranked ones; undefined when none is relevant. */
  readonly firstRelevantRank?: number;
  readonly citedChunkIds: readonly string[];
  /** Cited units: each sentence span of a citation, or the whole passage of a citation without spans. */
  readonly citationUnits: number;
  /** Units that overlap an expected sentence (a passage without spans: that holds an expected sentence). */
  readonly preciseUnits: number;
  /** Whether every citation of the answer named sentence spans (precision measured on sentences, not passages). */
  readonly spanLevel: boolean;
  readonly requirements: readonly RequirementOutcome[];
  /** Contrast cases: one entry per side. */
  readonly sides?: readonly RequirementOutcome[];
  /** English in-corpus cases: the language of the answer's own prose, and whether an expected passage has a rendering. */
  readonly prose?: ProseLanguage & { readonly rendered: boolean };
  readonly corrections?: readonly QueryCorrection[];
  /** Pinyin-typo cases: whether the answer says it read the typed word as the corpus term ("did you mean"). */
  readonly typoCorrected?: boolean;
  readonly answerMs: number;
  readonly error?: string;
}

/** Whether a passage answers a case: it contains one of the case's expected verbatim phrases. */
export function isRelevant(chunk: Pick<ChunkRecord, 'text'>, entry: Pick<EvaluationCase, 'expect' | 'must' | 'sides'>): boolean {
  return evidencePhrases(entry).some((phrase) => chunk.text.includes(phrase));
}

/** Scores one answered case against its expectations. */
export async function scoreCase(
  entry: EvaluationCase,
  record: CaseRecord,
  sentences: CorpusSentences,
  rank: PassageRanker,
): Promise<CaseOutcome> {
  const answer = record.final.answer;
  const searchedFor = answer?.searchedFor ?? record.final.asked;
  const evidence = await rank(searchedFor);
  const rankIndex = evidence.ranked.findIndex((passage) => isRelevant(passage.chunk, entry));
  const expectedSentences = evidencePhrases(entry).flatMap((phrase) => sentences.find(phrase));
  const citations = answer?.citations ?? [];
  const documentOf = (chunkId: string): string | undefined => sentences.getChunk(chunkId)?.documentId;

  let citationUnits = 0;
  let preciseUnits = 0;
  for (const citation of citations) {
    const documentId = documentOf(citation.chunkId);
    const spans = citation.spans ?? [];
    if (spans.length === 0) {
      citationUnits += 1;
      const chunk = sentences.getChunk(citation.chunkId);
      if (chunk && isRelevant(chunk, entry)) preciseUnits += 1;
      continue;
    }
    for (const span of spans) {
      citationUnits += 1;
      if (expectedSentences.some((sentence) => sentence.documentId === documentId && overlaps(span, sentence))) preciseUnits += 1;
    }
  }

  const hold = (phrases: readonly string[]): RequirementOutcome => {
    if (!answer?.grounded) return { phrases };
    for (const phrase of phrases) {
      const heldBy = findHeldSentence(answer.answer, citations, phrase, sentences.find(phrase), documentOf);
      if (heldBy) return { phrases, heldBy };
    }
    return { phrases };
  };

  const relevantChunks = sentences.chunks.filter((chunk) => isRelevant(chunk, entry));
  const prose =
    entry.language === 'en' && entry.covered && answer
      ? {
          ...measureProseLanguage(
            answer.answer,
            sentences.chunks.map((chunk) => chunk.text),
          ),
          rendered: relevantChunks.some((chunk) => chunk.translation !== undefined),
        }
      : undefined;

  return {
    id: entry.id,
    category: entry.category,
    language: entry.language,
    covered: entry.covered,
    turnCount: entry.turns.length,
    searchedFor,
    confidence: evidence.confidence,
    grounded: answer?.grounded ?? false,
    ...(rankIndex >= 0 ? { firstRelevantRank: rankIndex + 1 } : {}),
    citedChunkIds: citations.map((citation) => citation.chunkId),
    citationUnits,
    preciseUnits,
    spanLevel: citations.length > 0 && citations.every((citation) => (citation.spans?.length ?? 0) > 0),
    requirements: requirementGroups(entry).map(hold),
    ...(entry.sides ? { sides: entry.sides.map(hold) } : {}),
    ...(prose ? { prose } : {}),
    ...(answer?.corrections ? { corrections: answer.corrections } : {}),
    ...(entry.typo ? { typoCorrected: readsTypoAs(record.final.asked, entry.typo, answer?.corrections ?? []) } : {}),
    answerMs: record.final.answerMs,
    ...(record.final.error ? { error: record.final.error } : {}),
  };
}

/**
 * Whether the corrections an answer names read the typo as the term: the question with them applied holds the term
 * where the typo was. A correction may take in a neighbouring word (范化能力 → 泛化能力) or leave a character that was
 * right (书据 → 数据 of 书据集): the learner is told either way what was searched for.
 */
function readsTypoAs(
  asked: string,
  typo: { readonly from: string; readonly to: string },
  corrections: readonly QueryCorrection[],
): boolean {
  const at = asked.indexOf(typo.from);
  if (at < 0 || corrections.length === 0) return false;
  const read = corrections.reduce((text, correction) => text.replace(correction.from, correction.to), asked);
  // The term between the characters around the typo, which no correction of it changes.
  const before = asked.slice(Math.max(0, at - 1), at);
  const after = asked.slice(at + typo.from.length, at + typo.from.length + 1);
  return read.includes(before + typo.to + after);
}

/** The sentences a case names that the corpus does not hold inside one sentence (each must be fixed in cases.json). */
export function unknownPhrases(entry: EvaluationCase, sentences: CorpusSentences): string[] {
  return evidencePhrases(entry).filter((phrase) => sentences.find(phrase).length === 0);
}

export type { CorpusSentence };
