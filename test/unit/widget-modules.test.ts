// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { CitationPayload } from '../../src/shared/chat-protocol.js';
import { answerAsText } from '../../web/answer-copy.js';
import { shownTitle } from '../../web/citation-title.js';
import { createConversationStorage } from '../../web/conversation-storage.js';
import { markAnswerLanguage } from '../../web/language-marks.js';
import { passageSegments, renderingSegments } from '../../web/passage-highlight.js';
import { withoutVerdict } from '../../web/tutor-modes-view.js';
import { languageFromBrowser, languageOfText, relativeTime, stringsFor } from '../../web/widget-i18n.js';

const citation = (overrides: Partial<CitationPayload> = {}): CitationPayload => ({
  marker: 1,
  chunkId: 'c1',
  title: '微调与调教',
  source: 'CSDN 博客',
  text: '微调更新参数。调教更广义。它包括超参数。',
  start: 100,
  end: 120,
  ...overrides,
});

describe('widget i18n', () => {
  it('has the same keys in both languages and picks the language from the browser', () => {
    expect(Object.keys(stringsFor('zh')).sort()).toEqual(Object.keys(stringsFor('en')).sort());
    expect(languageFromBrowser(['zh-TW', 'en'])).toBe('zh');
    expect(languageFromBrowser(['fr-FR', 'en-GB'])).toBe('en');
    expect(languageFromBrowser(['fr-FR'])).toBe('en');
    expect(stringsFor('en').unread(2)).toContain('2 new answers');
  });

  it('tells an English answer quoting Chinese terms from a Chinese one', () => {
    expect(languageOfText('The article contrasts **fine-tuning** (微调) and **tuning** (调教) in its own words.')).toBe('en');
    expect(languageOfText('微调是在预训练模型的基础上进一步训练 (fine-tuning)。')).toBe('zh');
  });

  it('says times relative to now in the learner language', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    expect(relativeTime(new Date('2026-12-01T11:59:50Z'), now, 'en')).toBe('now');
    expect(relativeTime(new Date('2026-12-01T11:57:00Z'), now, 'en')).toBe('3 minutes ago');
    expect(relativeTime(new Date('2026-12-01T11:57:00Z'), now, 'zh')).toBe('3分钟前');
    expect(relativeTime(new Date('2026-11-30T12:00:00Z'), now, 'zh')).toBe('昨天');
  });
});

describe('conversation storage', () => {
  beforeEach(() => localStorage.clear());

  it('remembers the current conversation and a bounded list of recent ones titled by their first question', () => {
    const storage = createConversationStorage('http://tutor.test', 'floating', 3);
    expect(storage.load()).toBeUndefined();
    storage.save('conv-1');
    expect(storage.load()).toBe('conv-1');
    storage.touch('conv-1', '微调是什么？', 1000);
    storage.touch('conv-2', 'What is tuning?', 2000);
    storage.touch('conv-1', 'a later question', 3000);
    expect(storage.recent().map((entry) => [entry.conversationId, entry.title])).toEqual([
      ['conv-1', '微调是什么？'],
      ['conv-2', 'What is tuning?'],
    ]);
    storage.touch('conv-3', 'three', 4000);
    storage.touch('conv-4', 'four', 5000);
    expect(storage.recent().map((entry) => entry.conversationId)).toEqual(['conv-4', 'conv-3', 'conv-1']);
    storage.forget('conv-3');
    expect(storage.recent().map((entry) => entry.conversationId)).toEqual(['conv-4', 'conv-1']);
    storage.clear();
    expect(storage.load()).toBeUndefined();
    // Another widget (storage key) keeps its own.
    expect(createConversationStorage('http://tutor.test', 'inline').recent()).toEqual([]);
  });

  it('ignores what it did not write: malformed JSON, bad ids, wrong shapes', () => {
    localStorage.setItem('tutor-chat:conversation:http://tutor.test#floating', '<script>');
    localStorage.setItem(
      'tutor-chat:recent:http://tutor.test#floating',
      JSON.stringify([
        { conversationId: 'ok-1', title: 'fine', updatedAt: 1 },
        { conversationId: 'bad id!', title: 'x', updatedAt: 2 },
        'junk',
        null,
      ]),
    );
    const storage = createConversationStorage('http://tutor.test', 'floating');
    expect(storage.load()).toBeUndefined();
    expect(storage.recent()).toEqual([{ conversationId: 'ok-1', title: 'fine', updatedAt: 1 }]);
    localStorage.setItem('tutor-chat:recent:http://tutor.test#floating', '{not json');
    expect(storage.recent()).toEqual([]);
  });
});

describe('language marks', () => {
  it('marks an answer in another language than the widget, and Chinese quotes inside English answers', () => {
    const answer = document.createElement('div');
    answer.innerHTML = '<p>The article says <strong>微调</strong> means 「在预训练模型上训练」. See <code>微调</code>.</p>';
    markAnswerLanguage(answer, 'en', 'zh');
    expect(answer.getAttribute('lang')).toBe('en');
    expect(Array.from(answer.querySelectorAll('[lang="zh"]')).map((span) => span.textContent)).toEqual(['微调', '「在预训练模型上训练」']);
    expect(answer.querySelector('code')?.innerHTML).toBe('微调');
    const chinese = document.createElement('div');
    chinese.textContent = '微调是训练。';
    markAnswerLanguage(chinese, 'zh', 'zh');
    expect(chinese.hasAttribute('lang')).toBe(false);
  });
});

describe('source card segments', () => {
  it('highlights the cited sentence spans inside the passage, with the paragraph around it as context', () => {
    const segments = passageSegments(citation({ spans: [{ start: 107, end: 113 }] }), {
      chunkId: 'c1',
      title: 't',
      source: 's',
      text: '微调更新参数。调教更广义。它包括超参数。',
      start: 100,
      end: 120,
      headingPath: [],
      sentences: [],
      before: '第一段。\n\n前文。',
      after: '后文。\n\n下一段。',
    });
    expect(segments).toEqual([
      { text: '前文。', kind: 'context' },
      { text: '微调更新参数。', kind: 'passage' },
      { text: '调教更广义。', kind: 'cited' },
      { text: '它包括超参数。', kind: 'passage' },
      { text: '后文。', kind: 'context' },
    ]);
  });

  it('falls back to the whole passage without spans, or when they lie outside it', () => {
    expect(passageSegments(citation())).toEqual([{ text: '微调更新参数。调教更广义。它包括超参数。', kind: 'cited' }]);
    expect(passageSegments(citation({ spans: [{ start: 500, end: 520 }] }))).toEqual([
      { text: '微调更新参数。调教更广义。它包括超参数。', kind: 'cited' },
    ]);
  });

  it('marks the rendering of each cited sentence in the aligned rendering, in order', () => {
    const text = 'Fine-tuning updates parameters. Tuning is broader. It includes hyperparameters.';
    expect(renderingSegments({ language: 'en', text, sentences: ['Tuning is broader.', ' It includes hyperparameters.'] })).toEqual([
      { text: 'Fine-tuning updates parameters. ', kind: 'passage' },
      { text: 'Tuning is broader.', kind: 'cited' },
      { text: ' ', kind: 'passage' },
      { text: 'It includes hyperparameters.', kind: 'cited' },
    ]);
  });

  it('claims no sentence of the rendering that it cannot find, nor any without aligned sentences', () => {
    const text = 'Fine-tuning updates parameters. Tuning is broader.';
    expect(renderingSegments({ language: 'en', text })).toEqual([{ text, kind: 'passage' }]);
    expect(renderingSegments({ language: 'en', text, sentences: ['Not in the text.', 'Tuning is broader.'] })).toEqual([
      { text: 'Fine-tuning updates parameters. ', kind: 'passage' },
      { text: 'Tuning is broader.', kind: 'cited' },
    ]);
  });
});

describe('copy and quiz texts', () => {
  it('copies the answer as plain text with its sources', () => {
    expect(answerAsText('**微调**会更新参数[1]。', [citation()], 'Sources')).toBe(
      '微调会更新参数[1]。\n\nSources:\n[1] 微调与调教 (CSDN 博客): 微调更新参数。调教更广义。它包括超参数。',
    );
    expect(answerAsText('No sources here.', [], 'Sources')).toBe('No sources here.');
  });

  it('drops the verdict the badge already says from the explanation', () => {
    expect(withoutVerdict('答对了！答案是「微调」。\n\n文章原文：…[1]')).toBe('答案是「微调」。\n\n文章原文：…[1]');
    expect(withoutVerdict('Not quite: the answer is 微调 (fine-tuning).')).toBe('The answer is 微调 (fine-tuning).');
    expect(withoutVerdict('The article explains this at length without a verdict.')).toBe(
      'The article explains this at length without a verdict.',
    );
  });
});

describe('citation titles', () => {
  const rendered = citation({ translation: { language: 'en', title: 'Fine-tuning and Tuning', text: 'Fine-tuning updates parameters.' } });
  it('shows an English reader the rendering title first and the original after it', () => {
    expect(shownTitle(rendered, 'en')).toEqual({ title: 'Fine-tuning and Tuning', original: '微调与调教' });
  });
  it('shows the original title alone to a reader of the original, or where the rendering has no title', () => {
    expect(shownTitle(rendered, 'zh')).toEqual({ title: '微调与调教' });
    expect(shownTitle(citation({ translation: { language: 'en', text: 'Fine-tuning.' } }), 'en')).toEqual({ title: '微调与调教' });
    expect(shownTitle(citation(), 'en')).toEqual({ title: '微调与调教' });
  });
});
