import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChunkRecord, CorpusDocument } from '../../src/ingest/chunk-types.js';
import { loadCorpus } from '../../src/ingest/corpus-loader.js';
import { chunkDocument } from '../../src/ingest/passage-chunker.js';
import { assignPieces, renderDemoPage } from '../../src/server/demo-page.js';
import { repoRoot } from '../support/browser.js';

function documentOf(content: string, overrides: Partial<CorpusDocument> = {}): CorpusDocument {
  return {
    documentId: 'doc',
    relativePath: 'doc.md',
    title: 'Test article',
    language: 'en',
    source: '',
    content,
    ...overrides,
  };
}

function chunkOf(document: CorpusDocument, chunkId: string, ordinal: number, start: number, end: number): ChunkRecord {
  return {
    chunkId,
    documentId: document.documentId,
    title: document.title,
    source: document.source,
    language: document.language,
    headingPath: [],
    ordinal,
    start,
    end,
    text: document.content.slice(start, end),
  };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
const decodeEntities = (html: string): string => html.replace(/&(?:amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity] ?? entity);

interface Run {
  readonly id: string | undefined;
  readonly chunkId: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function passageRuns(html: string): Run[] {
  const pattern =
    /<span class="passage"(?: id="passage-([^"]+)")? data-chunk-id="([^"]+)" data-start="(\d+)" data-end="(\d+)">([^<]*)<\/span>/g;
  return [...html.matchAll(pattern)].map((match) => ({
    id: match[1],
    chunkId: match[2] as string,
    start: Number(match[3]),
    end: Number(match[4]),
    text: decodeEntities(match[5] as string),
  }));
}

const render = (documents: CorpusDocument[], chunks: ChunkRecord[]): string =>
  renderDemoPage({ documents, chunks, widgetScriptUrl: '/widget.js', serverUrl: 'https://tutor.example' });

describe('renderDemoPage', () => {
  it('renders the real corpus with one anchor per passage whose runs are exact slices of the document', async () => {
    const corpus = await loadCorpus(path.join(repoRoot, 'corpus'));
    const chunks = corpus.documents.flatMap((document) => chunkDocument(document));
    const html = render([...corpus.documents], chunks);
    const runs = passageRuns(html);
    for (const chunk of chunks) {
      expect(html, `anchor for ${chunk.chunkId}`).toContain(`id="passage-${chunk.chunkId}"`);
      const own = runs.filter((run) => run.chunkId === chunk.chunkId);
      expect(own.length, `runs of ${chunk.chunkId}`).toBeGreaterThan(0);
      // Runs of a chunk cover the chunk's text exactly, minus Markdown markers between blocks.
      expect(own.map((run) => run.text).join('')).toBe(
        own.map((run) => chunk.text.slice(run.start - chunk.start, run.end - chunk.start)).join(''),
      );
    }
    const contentById = new Map(corpus.documents.map((document) => [document.documentId, document.content]));
    for (const run of runs) {
      const chunk = chunks.find((candidate) => candidate.chunkId === run.chunkId) as ChunkRecord;
      expect(run.text).toBe(contentById.get(chunk.documentId)?.slice(run.start, run.end));
    }
    // Markdown structure: the article title, section headings, lists and bold text.
    expect(html).toContain('<h1>理解大模型的微调和调教的区别</h1>');
    expect(html).toMatch(/<h2>总结一下<\/h2>/);
    expect(html).toMatch(/<ul>\s*<li><span class="passage"/);
    expect(html).toMatch(/<ol>\s*<li><strong><span class="passage"[^>]*>基础模型强大<\/span><\/strong>/);
  });

  it('renders headings, paragraphs, both kinds of list, quotes, code and rules, with every passage in text it shows', () => {
    const content = [
      '## Section **one**',
      '',
      'A paragraph line.',
      'Its second line.',
      '',
      '- bullet one',
      '- bullet two',
      '',
      '3. step three',
      '4. step four',
      '',
      '> A quoted sentence.',
      '',
      '```',
      'code <b>line</b>',
      '```',
      '',
      '***',
      '',
      'After the rule.',
    ].join('\n');
    const document = documentOf(content);
    const chunks = chunkDocument(document, { maxChars: 40, minChars: 1, overlapSentences: 0 });
    const body = render([document], chunks);
    const article = body.slice(body.indexOf('<div class="article-body">'));
    const plain = (html: string): string => decodeEntities(html.replace(/<[^>]+>/g, ''));
    expect(plain(article.match(/<h2>(.*?)<\/h2>/)?.[1] ?? '')).toBe('Section one');
    expect(article).toContain('<h2>Section <strong>one</strong></h2>');
    expect(plain(article.match(/<p>(.*?)<\/p>/s)?.[1] ?? '')).toBe('A paragraph line.\nIts second line.');
    expect(plain(article.match(/<ul>(.*?)<\/ul>/s)?.[1] ?? '').trim()).toBe('bullet one\nbullet two');
    expect(article).toMatch(/<ol start="3">\s*<li>/);
    expect(plain(article.match(/<ol start="3">(.*?)<\/ol>/s)?.[1] ?? '').trim()).toBe('step three\nstep four');
    expect(plain(article.match(/<blockquote><p>(.*?)<\/p><\/blockquote>/)?.[1] ?? '')).toBe('A quoted sentence.');
    expect(article).toContain('code &lt;b&gt;line&lt;/b&gt;</span></code></pre>');
    expect(article).toContain('<hr>');
    expect(article).not.toMatch(/```|\*\*\*|^>|&gt; A quoted/m);
    for (const chunk of chunks) expect(article, chunk.text).toContain(`id="passage-${chunk.chunkId}"`);
    const shown = passageRuns(article)
      .map((run) => run.text)
      .join('');
    for (const chunk of chunks) {
      // A passage may run over several blocks; the markers between them are not shown.
      for (const line of chunk.text.split('\n')) expect(shown, line).toContain(line.replace(/^(?:> |- |\d+\. )/, ''));
    }
  });

  it('gives each overlapping character range to the first chunk that covers it', () => {
    const content = 'Alpha one. Beta two. Gamma three. Delta four.';
    const document = documentOf(content);
    const chunks = [
      chunkOf(document, 'c1', 0, 0, 20), // "Alpha one. Beta two."
      chunkOf(document, 'c2', 1, 11, 33), // overlaps "Beta two." with c1
      chunkOf(document, 'c3', 2, 21, 33), // entirely inside c2
      chunkOf(document, 'c4', 3, 34, content.length),
    ];
    expect(assignPieces(content.length, chunks).map((piece) => [piece.start, piece.end, piece.owner?.chunkId])).toEqual([
      [0, 11, 'c1'],
      [11, 20, 'c1'],
      [20, 21, 'c2'],
      [21, 33, 'c2'],
      [33, 34, undefined],
      [34, content.length, 'c4'],
    ]);
    const html = render([document], chunks);
    const runs = passageRuns(html);
    expect(runs.map((run) => run.text).join('')).toBe(content.slice(0, 33) + content.slice(34));
    expect(runs.find((run) => run.id === 'c2')?.start).toBe(20);
    // c3 owns nothing of its own: it still gets an anchor where it starts.
    expect(html).toMatch(/<span class="passage-anchor" id="passage-c3" data-chunk-id="c3" data-start="21" data-end="33"><\/span>/);
    expect(html.match(/id="passage-c1"/g)).toHaveLength(1);
  });

  it('renders HTML in the corpus as text: no script, no event handler, no element from the corpus', () => {
    const content = [
      '# Heading with <b>markup</b>',
      '',
      'A passage with <script>alert("corpus")</script> inside.',
      '',
      '- an item <img src=x onerror="alert(1)"> here',
      '',
      'Quotes " and \' and & ampersands, plus **bold <i>tag</i>**.',
    ].join('\n');
    const document = documentOf(content, { title: 'Title <svg onload=alert(2)>', source: 'javascript:alert(3)' });
    const chunks = [chunkOf(document, 'x<"1', 0, content.indexOf('A passage'), content.length)];
    const html = render([document], chunks);
    const body = html.slice(html.indexOf('<body>'));
    expect(body).not.toMatch(/<script/i);
    expect(body).not.toMatch(/<img/i);
    expect(body).not.toMatch(/<svg/i);
    expect(body).not.toMatch(/<i>|<b>/);
    // Event handler text may appear only as escaped text, never inside a real tag.
    expect(body).not.toMatch(/<[a-z][^>]*\son[a-z]+=/i);
    expect(body).not.toContain('href="javascript:');
    expect(body).toContain('&lt;script&gt;alert(&quot;corpus&quot;)&lt;/script&gt;');
    expect(body).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(body).toContain('<h1>Title &lt;svg onload=alert(2)&gt;</h1>');
    expect(body).toContain('id="passage-x&lt;&quot;1"');
    expect(body).toContain('<strong><span class="passage" data-chunk-id="x&lt;&quot;1"');
  });

  it('loads only external scripts and styles (strict CSP) and embeds the widget with its server', () => {
    const document = documentOf('Some text.');
    const html = renderDemoPage({
      documents: [document],
      chunks: [chunkOf(document, 'c1', 0, 0, 10)],
      widgetScriptUrl: '/assets/widget.js',
      serverUrl: 'https://tutor.example',
      language: 'en',
    });
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((match) => match[1]?.trim())).toEqual([
      'src="/assets/demo.js" defer',
      'src="/assets/widget.js" data-server="https://tutor.example" data-language="en" defer',
    ]);
    for (const script of scripts) expect(script[2]).toBe('');
    expect(html).toContain('<link rel="stylesheet" href="/assets/demo.css">');
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(html).toContain('<html lang="en">');
    // The icon is inline, so the page asks the server for nothing it does not serve (no /favicon.ico 404).
    expect(html).toMatch(/<link rel="icon" type="image\/svg\+xml" href="data:image\/svg\+xml,[^"]+">/);
  });
});
