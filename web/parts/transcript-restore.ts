import type { ConversationResponse } from '../../src/shared/chat-protocol.js';
import type { ConversationStorage } from '../conversation-storage.js';
import { h } from '../dom.js';
import type { WidgetStrings } from '../widget-i18n.js';
import { type AnswerViewHost, createTurnView, renderFinishedAnswer } from './answer-view.js';

/**
 * Puts a stored conversation back into the log: every turn GET /api/conversations/:id returns (the server bounds the
 * transcript it keeps for display), with its time, before anything asked while it loaded. Resolves with what happened:
 * `restored`, `gone` (the server no longer knows it: it is dropped from the recent list) or `stale` (another
 * conversation was chosen meanwhile). Rejects when the server could not be reached.
 */
export async function restoreTranscript(options: {
  readonly conversationId: string;
  readonly strings: WidgetStrings;
  readonly log: HTMLElement;
  readonly view: AnswerViewHost;
  readonly storage: ConversationStorage;
  readonly fetch: (conversationId: string) => Promise<ConversationResponse | undefined>;
  readonly stillWanted: () => boolean;
}): Promise<'restored' | 'gone' | 'stale'> {
  const { log, conversationId } = options;
  log.querySelector('.starters')?.remove();
  const notice = h(
    'p',
    { class: 'typing restoring' },
    h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')),
    options.strings.restoring,
  );
  log.appendChild(notice);
  let conversation: ConversationResponse | undefined;
  try {
    conversation = await options.fetch(conversationId);
  } finally {
    notice.remove();
  }
  if (!options.stillWanted()) return 'stale';
  if (conversation === undefined) {
    options.storage.forget(conversationId);
    return 'gone';
  }
  const restored = document.createDocumentFragment();
  for (const turn of conversation.turns) {
    const view = createTurnView(options.strings, turn.question);
    const at = new Date(turn.createdAt);
    renderFinishedAnswer(options.view, view, turn.response, {
      messageId: turn.messageId,
      question: turn.question,
      at: Number.isNaN(at.getTime()) ? new Date() : at,
    });
    restored.appendChild(view.element);
  }
  log.insertBefore(restored, log.children[1] ?? null);
  const first = conversation.turns[0];
  const last = conversation.turns.at(-1);
  if (first !== undefined) options.storage.touch(conversationId, first.question, Date.parse(last?.createdAt ?? '') || Date.now());
  return 'restored';
}
