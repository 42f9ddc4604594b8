import type { ChunkRecord, Language } from '../../ingest/chunk-types.js';
import type { GlossaryTerm } from '../../ingest/glossary.js';
import { ANSWER_KIND_TERMS, type TextAnalyzer } from '../../retrieval/text-analyzer.js';
import { isGenericConcept } from '../concept-map.js';
import { termSpan } from './term-spans.js';

/**
 * The topics the corpus is about: the glossary terms its document titles name, in the order the titles name them, less
 * the words of a kind of answer (区别), general words, and a term that only modifies the next one (大模型 in
 * "大模型的微调", "大模型微调"). For this corpus: 微调, 调教, 模型应用. Derived from the titles and the glossary, so another
 * corpus names its own topics.
 */
export function corpusTopics(chunks: readonly ChunkRecord[], analyzer: TextAnalyzer): GlossaryTerm[] {
  const titles = [...new Set(chunks.map((chunk) => chunk.title))];
  const topics: GlossaryTerm[] = [];
  for (const title of titles) {
    const found = analyzer
      .findGlossaryTerms(title)
      .filter((term) => !ANSWER_KIND_TERMS.has(term.zh) && !isGenericConcept(term.zh))
      .map((term) => ({ term, span: termSpan(title, term) }))
      .filter((entry): entry is { term: GlossaryTerm; span: NonNullable<typeof entry.span> } => entry.span !== undefined)
      .sort((left, right) => left.span.start - right.span.start);
    for (const { term, span } of found) {
      const inside = found.some((other) => other.term !== term && other.span.start <= span.start && other.span.end >= span.end);
      const modifies = found.some(
        (other) => other.span.start === span.end || (title[span.end] === '的' && other.span.start === span.end + 1),
      );
      if (!inside && !modifies && !topics.some((topic) => topic.zh === term.zh)) topics.push(term);
    }
  }
  return topics;
}

/** Names in a list: "A、B和C" / "A, B and C". */
function listed(names: readonly string[], language: Language): string {
  const last = names[names.length - 1];
  if (last === undefined) return '';
  const head = names.slice(0, -1);
  if (head.length === 0) return last;
  return language === 'zh' ? `${head.join('、')}和${last}` : `${head.join(', ')} and ${last}`;
}

/**
 * What a learner whose question is out of scope is told: that the article does not cover it, and what it does cover,
 * by its titles and its topics (corpusTopics) in the learner's language. Section headings are not named: "总结一下" or
 * "区别" tells a learner nothing about what to ask.
 */
export function composeNotCovered(language: Language, chunks: readonly ChunkRecord[], analyzer: TextAnalyzer): string {
  const titles = [...new Set(chunks.map((chunk) => chunk.title))];
  const topics = corpusTopics(chunks, analyzer);
  if (language === 'zh') {
    const named = titles.map((title) => `《${title}》`).join('、');
    const about =
      topics.length > 0
        ? `（${named}）讲的是${listed(
            topics.map((topic) => topic.zh),
            'zh',
          )}，可以问我与这些有关的问题。`
        : `是${named}，可以换个与这些内容有关的问题问我。`;
    return `文章没有讲到这个问题，所以我不拿不相关的段落来回答。这份资料${about}`;
  }
  const named = titles.map((title) => `“${title}”`).join('; ');
  const about =
    topics.length > 0
      ? ` (${named}) is about ${listed(
          topics.map((topic) => topic.gloss),
          'en',
        )}: try asking about one of these.`
      : ` covers ${named}. Try asking about one of these topics.`;
  return `The article does not cover that, so I won't answer it from unrelated passages. The material${about}`;
}
