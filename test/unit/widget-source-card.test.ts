// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { CitationPayload } from '../../src/shared/chat-protocol.js';
import { createSourceCard } from '../../web/parts/source-card.js';
import { stringsFor, type WidgetLanguage } from '../../web/widget-i18n.js';

/** A Chinese passage with its aligned English rendering, as an English answer's citation carries it. */
const citation: CitationPayload = {
  marker: 1,
  chunkId: 'c1',
  title: '理解大模型的微调和调教的区别',
  source: 'CSDN 博客',
  text: '调教这个词通常更广义。',
  start: 0,
  end: 11,
  translation: { language: 'en', text: 'The word tuning is usually broader.' },
};

function openCard(widgetLanguage: WidgetLanguage, answerLanguage: WidgetLanguage) {
  const panel = document.createElement('section');
  const chip = document.createElement('button');
  const laidOut: HTMLElement[] = [];
  const card = createSourceCard({
    strings: stringsFor(widgetLanguage),
    titleId: 't',
    panel,
    fetchPassage: () => undefined,
    onOpen: () => undefined,
    laidOut: (trigger) => laidOut.push(trigger),
  });
  panel.appendChild(card.element);
  document.body.appendChild(panel);
  card.open(citation, chip, answerLanguage);
  const heading = card.element.querySelector('.source-rendering .source-subhead')?.textContent;
  return { heading, chip, laidOut };
}

describe('the source card', () => {
  it('names the rendering by its own language: a Chinese widget reading an English answer says 英文译文', () => {
    expect(openCard('zh', 'en').heading).toBe('英文译文');
    expect(openCard('en', 'en').heading).toBe('In English (the article’s rendering)');
  });

  it('reports the chip that opened it once its content is laid out, so the log can keep the chip in sight', () => {
    const { chip, laidOut } = openCard('zh', 'zh');
    expect(laidOut).toEqual([chip]);
  });
});
