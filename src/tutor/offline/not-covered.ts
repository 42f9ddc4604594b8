import type { ChunkRecord, Language } from '../../ingest/chunk-types.js';
import type { TextAnalyzer } from '../../retrieval/text-analyzer.js';

/** What the corpus covers, from its titles and section headings: told to a learner whose question is out of scope. */
export function composeNotCovered(language: Language, chunks: readonly ChunkRecord[], analyzer: TextAnalyzer): string {
  const titles = [...new Set(chunks.map((chunk) => chunk.title))];
  const headings = [...new Set(chunks.flatMap((chunk) => chunk.headingPath.slice(0, 1)))].slice(0, 6);
  if (language === 'zh') {
    const sections = headings.length > 0 ? `，其中讲到${headings.map((heading) => `「${heading}」`).join('、')}` : '';
    return `文章没有讲到这个问题，所以我不拿不相关的段落来回答。这份资料讲的是：${titles.map((title) => `《${title}》`).join('、')}${sections}。可以换个与这些内容有关的问题问我。`;
  }
  const describe = (title: string): string => {
    const glosses = analyzer
      .findGlossaryTerms(title)
      .filter((term, _index, all) => !all.some((other) => other !== term && other.zh.includes(term.zh)))
      .map((term) => term.gloss);
    return glosses.length > 0 ? `“${title}” (about ${glosses.join(', ')})` : `“${title}”`;
  };
  return `The article does not cover that, so I won't answer it from unrelated passages. The material covers: ${titles.map(describe).join('; ')}. Try asking about one of these topics.`;
}
