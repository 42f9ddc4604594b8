/**
 * Opposites of everyday language, in Chinese and English: a few scales (duration, amount, breadth, scope, certainty,
 * quality, complexity, where to start from, the direction of a change), each with the words at its two poles. A yes/no answer uses them to see
 * that "时间较长" answers "Does it take less time?" with no, and that "小的调整" contradicts "大范围的调整".
 *
 * The table is general language, not any article's phrasing: a word is here because a dictionary would call it the
 * opposite of the words at the other pole. Speed sits on the duration scale turned round (faster = less time).
 */
import { boundedMemo } from '../support/bounded-memo.js';
import { getDefaultJieba, normalizeEnglishWord } from './text-analyzer.js';

export type Scale = 'duration' | 'amount' | 'breadth' | 'scope' | 'certainty' | 'quality' | 'complexity' | 'origin' | 'change';

/** +1: long, much, broad, all, always, good, complex, from scratch; -1: their opposites. */
export type Pole = 1 | -1;

interface ScaleWords {
  readonly zh: readonly string[];
  readonly en: readonly string[];
}

const SCALES: Readonly<Record<Scale, readonly [plus: ScaleWords, minus: ScaleWords]>> = {
  duration: [
    {
      zh: ['较长', '更长', '很长', '长', '久', '慢', '更慢', '耗时', '费时'],
      en: ['more time', 'takes longer', 'longer', 'long', 'slower', 'slow', 'time-consuming'],
    },
    {
      zh: ['较短', '更短', '短', '快', '更快', '较快', '迅速', '省时间', '省时', '节省时间'],
      en: ['less time', 'saves time', 'shorter', 'short', 'faster', 'fast', 'quicker', 'quick', 'quickly', 'speedy'],
    },
  ],
  amount: [
    {
      zh: ['大量', '很多', '许多', '更多', '较多', '较高', '更高', '很高', '高', '多', '大', '大范围', '大规模', '大幅'],
      en: [
        'a lot of',
        'lots of',
        'plenty of',
        'many',
        'much',
        'high',
        'higher',
        'large',
        'larger',
        'big',
        'bigger',
        'great',
        'greater',
        'heavy',
        'substantial',
        'considerable',
        'extensive',
      ],
    },
    {
      zh: ['少量', '很少', '较少', '更少', '较低', '更低', '低', '少', '小', '小范围', '小规模', '小幅', '一点'],
      en: ['few', 'fewer', 'little', 'low', 'lower', 'small', 'smaller', 'slight', 'minor', 'tiny'],
    },
  ],
  breadth: [
    { zh: ['广义', '宽泛', '更广', '广泛', '广', '宽'], en: ['broad', 'broader', 'wide', 'wider', 'general', 'broadly'] },
    { zh: ['狭义', '狭窄', '更窄', '窄', '具体'], en: ['narrow', 'narrower', 'narrowly', 'concrete'] },
  ],
  scope: [
    { zh: ['全部', '所有', '任何', '一切', '整个', '全'], en: ['all', 'every', 'any', 'entire', 'whole', 'everything'] },
    { zh: ['部分', '只', '仅', '仅仅', '只是', '某些', '有些', '一些'], en: ['some', 'part', 'partial', 'partly', 'only', 'certain'] },
  ],
  certainty: [
    { zh: ['一定', '总是', '始终', '必须', '必然', '肯定'], en: ['always', 'necessarily', 'must', 'certainly', 'definitely'] },
    { zh: ['通常', '可能', '有时', '往往', '一般'], en: ['usually', 'sometimes', 'often', 'may', 'might', 'generally', 'typically'] },
  ],
  quality: [
    { zh: ['更好', '优于', '胜过', '好'], en: ['better', 'superior', 'outperforms', 'good', 'best'] },
    { zh: ['不如', '更差', '差', '劣于'], en: ['worse', 'inferior', 'not as good', 'bad', 'worst'] },
  ],
  complexity: [
    { zh: ['复杂', '困难', '难'], en: ['complex', 'complicated', 'difficult', 'hard'] },
    { zh: ['简单', '容易', '简便'], en: ['simple', 'simpler', 'easy', 'easier', 'straightforward'] },
  ],
  change: [
    {
      zh: ['提高', '增加', '提升', '增强', '改善', '加快'],
      en: ['increase', 'increases', 'improve', 'improves', 'raise', 'raises', 'boost', 'boosts', 'enhance', 'enhances'],
    },
    {
      zh: ['降低', '减少', '下降', '减弱', '损害', '削弱', '减慢'],
      en: [
        'decrease',
        'decreases',
        'reduce',
        'reduces',
        'lowers',
        'weaken',
        'weakens',
        'harm',
        'harms',
        'hurt',
        'hurts',
        'degrade',
        'degrades',
      ],
    },
  ],
  origin: [
    { zh: ['从头开始', '从零开始', '从头', '从零'], en: ['from scratch', 'from the beginning', 'from zero', 'start over'] },
    { zh: ['基础上', '已有', '现有'], en: ['on the basis of', 'on top of', 'building on', 'builds on', 'existing', 'already'] },
  ],
};

/** One pole word found in a text: its scale, its pole and where it stands (code units of the text). */
export interface PoleWord {
  readonly scale: Scale;
  readonly pole: Pole;
  readonly word: string;
  readonly start: number;
  readonly end: number;
}

const CHINESE = new Map<string, { scale: Scale; pole: Pole }>();
/** `first`: the form's first word, lower case; a text whose lower-cased form lacks it cannot match `pattern`. */
const ENGLISH: { form: string; first: string; pattern: RegExp; scale: Scale; pole: Pole }[] = [];
for (const [scale, poles] of Object.entries(SCALES) as [Scale, readonly [ScaleWords, ScaleWords]][]) {
  poles.forEach((words, side) => {
    const pole: Pole = side === 0 ? 1 : -1;
    for (const word of words.zh) CHINESE.set(word, { scale, pole });
    for (const form of words.en)
      ENGLISH.push({
        form,
        first: (form.split(' ')[0] as string).toLowerCase(),
        pattern: new RegExp(`\\b${form.replace(/ /g, '\\s+')}\\b`, 'gi'),
        scale,
        pole,
      });
  });
}
// Longer English forms first: "less time" is duration before "less" could be anything else.
ENGLISH.sort((left, right) => right.form.length - left.form.length);
const LONGEST_CHINESE = Math.max(...[...CHINESE.keys()].map((word) => [...word].length));

/**
 * A single character is a pole only where it qualifies something: after a degree word (更快, 较长, 很少, 不长) or before
 * 的/地/得/了 or the end of a clause (小的调整, 比微调好). In 大模型 or 多次 it is part of a name or a measure.
 */
const DEGREE_BEFORE = new Set(['更', '较', '很', '非常', '太', '比较', '最', '越', '极', '相当', '不', '还', '要', '更加', '十分']);
const PARTICLE_AFTER = /^(?:[的地得了,，。;；:：!！?？吗呢呀]|$)/;
/** The adjectives that are a pole only in those positions; other words (只, 仅, 全部, 较长) are poles wherever they stand. */
const QUALIFYING_ADJECTIVES = new Set([...'长久慢短快高多大低少小广宽窄全好差难']);
/** A negation right before a pole word turns it round: 不长 is short, "not faster" is not less time. */
const CHINESE_NEGATION_BEFORE = new Set(['不', '没', '没有', '并不', '不太', '未']);
const ENGLISH_NEGATION_BEFORE = /(?:\b(?:not|never|no)|n't)\s+(?:(?:be|as|so|very|much|that|any)\s+){0,2}$/i;

/** The pole words of a text, in order, Chinese by jieba's words (no guessing) and English by word boundaries. */
export const poleWordsOf = boundedMemo(4000, (text: string): readonly PoleWord[] => {
  const found: PoleWord[] = [];
  if (/[\u3400-\u9fff]/.test(text)) {
    const tokens = getDefaultJieba().cut(text, false);
    let at = 0;
    for (let index = 0; index < tokens.length; index += 1) {
      const token = tokens[index] as string;
      const start = at;
      at += token.length;
      // The longest run of tokens from here that the table holds (大/范围 → 大范围, 省/时间 → 省时间).
      let run = '';
      let best: { word: string; count: number } | undefined;
      for (let count = 1; index + count <= tokens.length && [...run].length < LONGEST_CHINESE; count += 1) {
        run += tokens[index + count - 1];
        if (CHINESE.has(run)) best = { word: run, count };
      }
      if (!best) continue;
      const after = tokens.slice(index + best.count).join('');
      const before = tokens[index - 1] ?? '';
      if (QUALIFYING_ADJECTIVES.has(best.word) && !DEGREE_BEFORE.has(before) && !PARTICLE_AFTER.test(after)) continue;
      const entry = CHINESE.get(best.word) as { scale: Scale; pole: Pole };
      const pole: Pole = CHINESE_NEGATION_BEFORE.has(before) ? (-entry.pole as Pole) : entry.pole;
      found.push({ scale: entry.scale, pole, word: best.word, start, end: start + best.word.length });
      at = start + best.word.length;
      index += best.count - 1;
    }
  }
  const taken: [number, number][] = [];
  // Most texts hold few of the 170 forms: a substring test rules the others out before their pattern runs.
  const lower = text.toLowerCase();
  for (const { first, pattern, scale, pole } of ENGLISH) {
    if (!lower.includes(first)) continue;
    pattern.lastIndex = 0;
    for (const match of text.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken.some(([from, to]) => start < to && from < end)) continue;
      taken.push([start, end]);
      const negated = !match[0].toLowerCase().startsWith('not') && ENGLISH_NEGATION_BEFORE.test(text.slice(Math.max(0, start - 24), start));
      found.push({ scale, pole: negated ? (-pole as Pole) : pole, word: match[0].toLowerCase(), start, end });
    }
  }
  return found.sort((left, right) => left.start - right.start);
});

/** Whether two pole words are opposites: the same scale, the other pole. */
export const areOpposites = (left: Pick<PoleWord, 'scale' | 'pole'>, right: Pick<PoleWord, 'scale' | 'pole'>): boolean =>
  left.scale === right.scale && left.pole !== right.pole;

/** Single English forms by their stem (the analyzer's tokens are stems), and Chinese words, with their scale. */
const SCALE_OF_WORD = new Map<string, Scale>();
for (const [scale, poles] of Object.entries(SCALES) as [Scale, readonly [ScaleWords, ScaleWords]][])
  for (const words of poles) {
    for (const word of words.zh) SCALE_OF_WORD.set(word, scale);
    for (const form of words.en) if (!form.includes(' ')) SCALE_OF_WORD.set(normalizeEnglishWord(form), scale);
  }

/**
 * Every word of the scale a word stands on, both poles, both languages ("slower" → 较长, 快, faster, …; none for a word
 * on no scale): a question on one pole ("Is it slower?") is answered by the sentence on either ("更快").
 */
export function scaleWordsOf(word: string): readonly string[] {
  const scale = SCALE_OF_WORD.get(word);
  if (scale === undefined) return [];
  return SCALES[scale].flatMap((pole) => [...pole.zh, ...pole.en]);
}
