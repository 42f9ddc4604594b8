import { h, icon } from '../dom.js';
import type { WidgetStrings } from '../widget-i18n.js';

/**
 * The question box: a growing textarea (Enter sends, Shift+Enter is a new line, Enter that ends an IME composition
 * does not send) and one round button that is Send, or Stop while an answer streams.
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
  const setStreaming = (next: boolean): void => {
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
    if (streaming) options.onStop();
    else options.onSend(input.value);
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
    focus() {
      input.focus({ preventScroll: true });
    },
  };
}
