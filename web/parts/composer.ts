import { h, icon } from '../dom.js';
import type { WidgetStrings } from '../widget-i18n.js';

/**
 * A click on the button this soon after it turned from Send into Stop was aimed at Send (Enter, then a click on Send
 * while the question went out): it is ignored rather than stopping the answer just asked for.
 */
const STOP_GRACE_MS = 400;

/**
 * The question box: a growing textarea (Enter sends, Shift+Enter is a new line, Enter that ends an IME composition
 * does not send) and one round button that is Send, or Stop while an answer streams. A question goes out once: Enter
 * while it is answered sends nothing, and a click on the button just after it became Stop does not stop it.
 */
export interface Composer {
  readonly form: HTMLFormElement;
  readonly hint: HTMLElement;
  readonly input: HTMLTextAreaElement;
  readonly button: HTMLButtonElement;
  /** While true the button stops the streaming answer instead of sending. */
  setStreaming(streaming: boolean): void;
  /** Replaces the text (empty to clear) and fits the height to it. */
  setText(text: string): void;
  /** Empties the box if it still holds `sent` (trimmed): a different question typed since stays. */
  clearSent(sent: string): void;
  focus(): void;
}

export function createComposer(options: {
  readonly strings: WidgetStrings;
  readonly inputId: string;
  readonly hintId: string;
  readonly onSend: (text: string) => void;
  readonly onStop: () => void;
  readonly onFocus: () => void;
}): Composer {
  const s = options.strings;
  const input = h('textarea', {
    id: options.inputId,
    class: 'input',
    rows: '1',
    placeholder: s.inputPlaceholder,
    enterkeyhint: 'send',
    autocomplete: 'off',
    'aria-describedby': options.hintId,
  });
  const button = h('button', { type: 'submit', class: 'send' });
  const form = h(
    'form',
    { class: 'composer', novalidate: true },
    h('label', { class: 'sr-only', for: options.inputId }, s.inputLabel),
    input,
    button,
  );
  const hint = h('p', { class: 'hint', id: options.hintId }, s.inputHint);
  let streaming = false;
  let streamingSince = 0;
  const setStreaming = (next: boolean): void => {
    if (next && !streaming) streamingSince = performance.now();
    streaming = next;
    const label = next ? s.stop : s.send;
    button.replaceChildren(icon(next ? 'stop' : 'send'));
    button.setAttribute('aria-label', label);
    button.title = label;
    button.classList.toggle('stop', next);
  };
  const autoGrow = (): void => {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 160)}px`;
  };
  setStreaming(false);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!streaming) options.onSend(input.value);
    else if (performance.now() - streamingSince >= STOP_GRACE_MS) options.onStop();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    // Enter never stops an answer: only the button does.
    if (!streaming) options.onSend(input.value);
  });
  input.addEventListener('input', autoGrow);
  input.addEventListener('focus', options.onFocus);
  return {
    form,
    hint,
    input,
    button,
    setStreaming,
    setText(text) {
      input.value = text;
      autoGrow();
    },
    clearSent(sent) {
      if (input.value.trim() !== sent.trim()) return;
      input.value = '';
      autoGrow();
    },
    focus() {
      input.focus({ preventScroll: true });
    },
  };
}
