import { createHash } from 'node:crypto';
import type { CorpusDocument } from '../../src/ingest/chunk-types.js';
import { type LoadedCorpus, loadCorpus } from '../../src/ingest/corpus-loader.js';
import { type ChunkerSettings, chunkDocument } from '../../src/ingest/passage-chunker.js';
import { splitSentences } from '../../src/ingest/sentence-splitter.js';
import { createSeededRandom } from '../support/seeded-random.js';

/**
 * A deterministic synthetic corpus for retrieval benchmarks at scale, made only from the article's own sentences:
 * documents of short sections (a heading and one paragraph of 2-4 recombined, lightly varied sentences), sized so
 * that the real chunker makes exactly one passage per section. The same seed and target always give the same corpus.
 */

export interface SentencePool {
  /** Body sentences of the article (list markers and Markdown emphasis removed), in corpus order. */
  readonly sentences: readonly string[];
  /** Headings of the article, without the leading #. */
  readonly headings: readonly string[];
}

const LIST_MARKER = /^(?:[-*+•]|\d+[.)])\s+/;

/** Sentences and headings of every document of the corpus folder (the shipped article by default). */
export async function readSentencePool(corpusDir: string): Promise<SentencePool> {
  const corpus = await loadCorpus(corpusDir);
  const sentences = new Set<string>();
  const headings = new Set<string>();
  for (const document of corpus.documents) {
    for (const line of document.content.split('\n')) {
      const heading = /^#{1,6}\s+(.+)$/.exec(line.trim());
      if (heading) {
        headings.add((heading[1] as string).replace(/^\d+\.\s*/, '').trim());
        continue;
      }
      const body = line.replace(LIST_MARKER, '').replaceAll('**', '').trim();
      for (const span of splitSentences(body)) {
        const sentence = body.slice(span.start, span.end).trim();
        // Keep real sentences; very short fragments ("共性") are headings in all but name.
        if (sentence.length >= 8) sentences.add(sentence);
      }
    }
  }
  return { sentences: [...sentences], headings: [...headings] };
}

/** Words of the article that are swapped for one another to vary a sentence without leaving its vocabulary. */
const INTERCHANGEABLE_WORDS = [
  '模型',
  '参数',
  '任务',
  '数据',
  '训练',
  '性能',
  '调料',
  '厨师',
  '知识',
  '效果',
  '菜肴',
  '场景',
  '资源',
  '语料',
];
const SECTION_LABELS = ['要点', '说明', '案例', '笔记', '问答', '补充', '练习', '小结'];

export interface SyntheticCorpusOptions {
  /** Passages the real chunker must produce from the corpus. */
  readonly targetChunks: number;
  /** @default 20240601 */
  readonly seed?: number;
  /** Sections per document. @default 50 */
  readonly sectionsPerDocument?: number;
  readonly chunker: ChunkerSettings;
}

/**
 * Builds an in-memory corpus whose documents chunk into exactly `targetChunks` passages with the given chunker
 * settings (checked with the real chunker). Paragraphs are kept between minChars and maxChars so each section is one
 * passage; every paragraph carries a section number, so no two passages are identical.
 */
export function generateSyntheticCorpus(pool: SentencePool, options: SyntheticCorpusOptions): LoadedCorpus {
  const random = createSeededRandom(options.seed ?? 20_240_601);
  const sectionsPerDocument = options.sectionsPerDocument ?? 50;
  const documents: CorpusDocument[] = [];
  const hash = createHash('sha256');
  let chunkCount = 0;
  let sectionNumber = 0;
  while (chunkCount < options.targetChunks) {
    const sections = Math.min(sectionsPerDocument, options.targetChunks - chunkCount);
    const parts: string[] = [];
    for (let section = 0; section < sections; section += 1) {
      sectionNumber += 1;
      parts.push(
        `## ${pick(random, pool.headings)} · ${pick(random, SECTION_LABELS)} ${sectionNumber}`,
        '',
        syntheticParagraph(pool, random, options.chunker, sectionNumber),
        '',
      );
    }
    const documentId = `synthetic/doc-${String(documents.length).padStart(5, '0')}`;
    const content = parts.join('\n');
    const document: CorpusDocument = {
      documentId,
      relativePath: `${documentId}.md`,
      title: `合成文档 ${documents.length}：${pick(random, pool.headings)}`,
      language: 'zh',
      source: 'synthetic benchmark corpus (scripts/bench/synthetic-corpus.ts)',
      content,
    };
    const produced = chunkDocument(document, options.chunker).length;
    if (produced !== sections) {
      throw new Error(
        `synthetic document ${documentId} chunked into ${produced} passages, expected ${sections}: the generator and chunker disagree`,
      );
    }
    chunkCount += produced;
    documents.push(document);
    hash.update(documentId).update('\0').update(content).update('\0');
  }
  return { documents, warnings: [], corpusHash: hash.digest('hex') };
}

/** One paragraph of 2-4 article sentences, varied, between the chunker's min and max length. */
export function syntheticParagraph(pool: SentencePool, random: () => number, chunker: ChunkerSettings, number: number): string {
  const prefix = `第${number}条：`;
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const wanted = 2 + Math.floor(random() * 3);
    let paragraph = prefix;
    for (let index = 0; index < wanted; index += 1) {
      const sentence = varySentence(pick(random, pool.sentences), random);
      const candidate = paragraph + sentence;
      if (candidate.length > chunker.maxChars - 4) break;
      paragraph = candidate;
    }
    if (paragraph.length >= chunker.minChars + 4 && paragraph.length <= chunker.maxChars - 4) return paragraph;
  }
  throw new Error(`could not make a paragraph of ${chunker.minChars}-${chunker.maxChars} characters from the article's sentences`);
}

/** Half of the sentences get one article word swapped for another; a few get a short clause from another sentence. */
function varySentence(sentence: string, random: () => number): string {
  let varied = sentence;
  if (random() < 0.5) {
    const present = INTERCHANGEABLE_WORDS.filter((word) => varied.includes(word));
    if (present.length > 0) {
      const from = pick(random, present);
      const to = pick(random, INTERCHANGEABLE_WORDS);
      varied = varied.replace(from, to);
    }
  }
  if (!/[。！？；.!?;]$/.test(varied)) varied += '。';
  return varied;
}

/** A query of the retrieval benchmark: a learner's question, or a held-out line of the article. */
export interface SyntheticQuery {
  readonly text: string;
  readonly kind: 'question' | 'sentence';
}

/**
 * Query texts that are not in the synthetic corpus: the given questions (up to half of `count`), then held-out
 * article sentences varied with another seed. Deterministic.
 */
export function syntheticQueries(
  pool: SentencePool,
  options: { count: number; seed: number; questions: readonly string[] },
): SyntheticQuery[] {
  const random = createSeededRandom(options.seed);
  const queries: SyntheticQuery[] = options.questions.slice(0, Math.floor(options.count / 2)).map((text) => ({ text, kind: 'question' }));
  while (queries.length < options.count) {
    // A question-sized query: one or two varied sentences, like a learner pasting a line of the article.
    const first = varySentence(pick(random, pool.sentences), random);
    queries.push({ text: random() < 0.5 ? first : first + varySentence(pick(random, pool.sentences), random), kind: 'sentence' });
  }
  return queries;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new Error('cannot pick from an empty list');
  return items[Math.floor(random() * items.length)] as T;
}
