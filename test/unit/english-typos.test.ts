import { describe, expect, it } from 'vitest';
import { compileCedict } from '../../src/retrieval/cedict-compiler.js';
import { createCedictTableFromEntries } from '../../src/retrieval/cedict-table.js';
import { createEnglishTypoReader, deriveEnglishTypoData, isOneEditApart, typoTargets } from '../../src/retrieval/english-typos.js';

/** Every string one edit from `word`: what isOneEditApart must accept. */
function oneEditAway(word: string): Set<string> {
  const edits = new Set<string>();
  for (let at = 0; at <= word.length; at += 1) {
    const head = word.slice(0, at);
    const tail = word.slice(at);
    if (tail.length > 0) edits.add(head + tail.slice(1));
    if (tail.length > 1) edits.add(head + (tail[1] as string) + (tail[0] as string) + tail.slice(2));
    for (const letter of 'abcdefghijklmnopqrstuvwxyz') {
      if (tail.length > 0) edits.add(head + letter + tail.slice(1));
      edits.add(head + letter + tail);
    }
  }
  edits.delete(word);
  return edits;
}

// A dictionary whose English holds "turning" (one edit from the glossary's "tuning") and "model" (a target itself).
const dictionary = compileCedict(
  createCedictTableFromEntries([
    { traditional: '轉動', simplified: '转动', pinyin: 'zhuan4 dong4', english: ['turning', 'to rotate'] },
    { traditional: '調諧器', simplified: '调谐器', pinyin: 'tiao2 xie2 qi4', english: ['tuner'] },
    { traditional: '模型', simplified: '模型', pinyin: 'mo2 xing2', english: ['model', 'mold'] },
  ]),
);
const targets = typoTargets(['fine-tuning', 'tuning', 'tunes', 'overfitting', 'hyperparameter', 'pre-trained model', 'pretrained']);
const data = deriveEnglishTypoData(dictionary, targets);
const renderingWords = new Set(['the', 'what']);
const reader = createEnglishTypoReader(data, (word) => renderingWords.has(word));

describe('English typos of the glossary terms', () => {
  it('takes the words of five letters or more of the glossary forms as targets', () => {
    expect(targets).toEqual(['hyperparameter', 'model', 'overfitting', 'pretrained', 'trained', 'tunes', 'tuning']);
  });

  it('agrees with the edits it would make: one letter added, dropped, changed, or two neighbours swapped', () => {
    for (const edit of oneEditAway('tuning')) expect(isOneEditApart('tuning', edit), edit).toBe(true);
    expect(isOneEditApart('pretrained', 'pretrianed')).toBe(true);
    expect(isOneEditApart('tuning', 'tunign')).toBe(true);
    expect(isOneEditApart('tuning', 'tunnign')).toBe(false);
    expect(isOneEditApart('tuning', 'tuning')).toBe(false);
  });

  it.each([
    ['What is fine-tunning?', 'What is fine-tuning?', 'fine-tunning', 'fine-tuning'],
    ['Why does it overfit, is overfiting bad?', 'Why does it overfit, is overfitting bad?', 'overfiting', 'overfitting'],
    ['Is a Hyperparamter tuning?', 'Is a Hyperparameter tuning?', 'Hyperparamter', 'Hyperparameter'],
    ['a pretrianed model', 'a pretrained model', 'pretrianed', 'pretrained'],
    ['What is FINE-TUNNING?', 'What is FINE-TUNING?', 'FINE-TUNNING', 'FINE-TUNING'],
  ])('reads %s as %s', (question, text, from, to) => {
    expect(reader.correct(question)).toEqual({ text, corrections: [{ from, to }] });
  });

  it('leaves real words alone: the dictionary’s, the corpus’s own English, and short ones', () => {
    expect(data.nearWords).toEqual(expect.arrayContaining(['turning', 'tuner']));
    expect(reader.correct('What is turning?').corrections).toEqual([]);
    // Inflections of real words: "tuners" of the dictionary's "tuner" (one edit from "tunes"), "tunings" of "tuning".
    expect(reader.correct('What do tuners do?').corrections).toEqual([]);
    expect(reader.correct('What are tunings?').corrections).toEqual([]);
    // Four letters or fewer are one edit from too many words to be read as a term's.
    expect(reader.correct('Is it fine to tune?').corrections).toEqual([]);
    expect(reader.correct('What is LoRA?').corrections).toEqual([]);
  });

  it('leaves a word one edit from two terms as typed', () => {
    const two = createEnglishTypoReader(deriveEnglishTypoData(dictionary, ['tuning', 'tuming']), () => false);
    expect(two.correct('tuxing').corrections).toEqual([]);
  });
});
