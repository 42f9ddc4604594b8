// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { sanitiseTree } from '../../web/html-sanitiser.js';
import { insertCitationChips, renderMarkdown, toSpokenText } from '../../web/render-answer.js';

const html = (markdown: string): string => {
  const host = document.createElement('div');
  host.appendChild(renderMarkdown(markdown));
  return host.innerHTML;
};

describe('the answer Markdown renderer', () => {
  it('renders the subset answers use: paragraphs, line breaks, bold, italics, code, lists, quotes', () => {
    expect(html('第一段**重点**和*强调*。\n第二行\n\n`代码` 与 _斜体_')).toBe(
      '<p>第一段<strong>重点</strong>和<em>强调</em>。<br>第二行</p><p><code>代码</code> 与 <em>斜体</em></p>',
    );
    expect(html('- one\n- **two**\n  continued')).toBe('<ul><li>one</li><li><strong>two</strong><br>continued</li></ul>');
    expect(html('3. c\n4. d')).toBe('<ol start="3"><li>c</li><li>d</li></ol>');
    expect(html('- a\n  - nested\n- b')).toBe('<ul><li>a<ul><li>nested</li></ul></li><li>b</li></ul>');
    expect(html('> quoted **text**\n> more')).toBe('<blockquote><p>quoted <strong>text</strong><br>more</p></blockquote>');
    expect(html('## Heading\n\n---\n\n```\n<b>x</b>\n```')).toBe('<h2>Heading</h2><hr><pre><code>&lt;b&gt;x&lt;/b&gt;</code></pre>');
  });

  it('leaves citation markers, snake_case words and lone stars as text', () => {
    expect(html('微调会更新参数[1]，调教不会[2, 3]。')).toBe('<p>微调会更新参数[1]，调教不会[2, 3]。</p>');
    expect(html('the learning_rate and 2 * 3 * 4')).toBe('<p>the learning_rate and 2 * 3 * 4</p>');
  });

  it('shows raw HTML as text and keeps only http(s)/mailto links', () => {
    const fragment = renderMarkdown(
      '<img src=x onerror="alert(1)"> <script>alert(2)</script> [bad](javascript:alert(3)) ![pic](https://x.test/a.png) [ok](https://example.org/a)',
    );
    const host = document.createElement('div');
    host.appendChild(fragment);
    expect(host.querySelectorAll('img, script').length).toBe(0);
    expect(host.textContent).toContain('<img src=x onerror="alert(1)">');
    expect(host.textContent).toContain('<script>alert(2)</script>');
    expect(host.querySelector('a[href^="javascript"]')).toBeNull();
    const links = Array.from(host.querySelectorAll('a'));
    expect(links.map((link) => [link.getAttribute('href'), link.getAttribute('target'), link.getAttribute('rel')])).toEqual([
      ['https://example.org/a', '_blank', 'noopener noreferrer nofollow ugc'],
    ]);
    expect(host.textContent).toContain('pic');
  });
});

describe('the allow-list sanitiser', () => {
  it('removes elements, attributes and links outside the allow-list', () => {
    const host = document.createElement('div');
    host.innerHTML =
      '<p onclick="x()" style="color:red">a<img src=x onerror="y()"><b class="k">b</b></p><script>z()</script><a href="javascript:q()">c</a><a href="https://ok.test">d</a><ol start="2x"><li>e</li></ol><!-- c --><iframe src="https://evil.test"></iframe><span><em>f</em></span>';
    sanitiseTree(host);
    expect(host.innerHTML).toBe(
      '<p>a<b>b</b></p>z()<a>c</a><a href="https://ok.test" target="_blank" rel="noopener noreferrer nofollow ugc">d</a><ol><li>e</li></ol><em>f</em>',
    );
  });
});

describe('citation chips', () => {
  it('turns markers into chips glued to the character before and the punctuation after, outside code', () => {
    const fragment = renderMarkdown('微调更新参数 [1]。见 `[2]` 与[1，2]');
    insertCitationChips(fragment, (marker) => {
      const chip = document.createElement('button');
      chip.textContent = String(marker);
      return chip;
    });
    const host = document.createElement('div');
    host.appendChild(fragment);
    expect(host.innerHTML).toBe(
      '<p>微调更新参<span class="cite-group">数<button>1</button>。</span>见 <code>[2]</code> <span class="cite-group">与<button>1</button><button>2</button></span></p>',
    );
  });

  it('keeps a marker as text when it cites nothing', () => {
    const fragment = renderMarkdown('text [9]');
    insertCitationChips(fragment, () => undefined);
    expect(fragment.textContent).toBe('text [9]');
  });

  it('speaks answers without Markdown punctuation or markers', () => {
    expect(toSpokenText('**微调**会更新参数[1]。\n- 一\n- 二')).toBe('微调会更新参数。\n一\n二');
  });
});
