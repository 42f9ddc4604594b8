// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { createComposer } from '../../web/parts/composer.js';
import { stringsFor } from '../../web/widget-i18n.js';

/** The question box sends a question once and never empties itself of a question typed after it. */
describe('the composer', () => {
  const setup = () => {
    const sent: string[] = [];
    let stops = 0;
    const composer = createComposer({
      strings: stringsFor('en'),
      inputId: 'i',
      hintId: 'h',
      onSend: (text) => {
        sent.push(text);
        composer.setStreaming(true);
      },
      onStop: () => {
        stops += 1;
      },
      onFocus: () => undefined,
    });
    document.body.append(composer.form);
    const enter = () => composer.input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    return { composer, sent, enter, stops: () => stops };
  };

  it('Enter twice, or Enter and a click on Send right after, sends once and stops nothing', () => {
    const { composer, sent, enter, stops } = setup();
    composer.setText('What is fine-tuning?');
    enter();
    enter();
    composer.button.click();
    expect(sent).toEqual(['What is fine-tuning?']);
    expect(stops()).toBe(0);
  });

  it('empties the box of the sent question only, not of another typed since', () => {
    const { composer } = setup();
    composer.setText('And tuning?');
    composer.clearSent('What is fine-tuning?');
    expect(composer.input.value).toBe('And tuning?');
    composer.clearSent(' And tuning? ');
    expect(composer.input.value).toBe('');
  });
});
