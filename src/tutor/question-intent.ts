/** What kind of answer a question asks for; steers sentence choice and the answer's lead-in. */
export type QuestionIntent = 'difference' | 'example' | 'reason' | 'definition' | 'how' | 'general';

const INTENT_PATTERNS: readonly (readonly [QuestionIntent, RegExp])[] = [
  ['example', /例子|举例|举个例|比如|例如|比喻|类比|打个比方|\bexamples?\b|analogy|for instance|illustrat/i],
  ['difference', /区别|不同|差异|差别|对比|比较|异同|differ|distinguish|distinction|compare|comparison|contrast|\bvs\.?\b|versus/i],
  ['reason', /为什么|为何|原因|\bwhy\b|reason/i],
  ['definition', /是什么|什么是|指的是|指什么|含义|意思|定义|what is|what's|what are|what does .* mean|\bdefine|definition|meaning/i],
  ['how', /怎么|如何|怎样|\bhow\b/i],
];

export function detectQuestionIntent(question: string): QuestionIntent {
  for (const [intent, pattern] of INTENT_PATTERNS) if (pattern.test(question)) return intent;
  return 'general';
}

/** Words in a sentence that make it a good answer for an intent (an example, a reason, a contrast). */
export const INTENT_SENTENCE_CUES: Readonly<Record<QuestionIntent, RegExp | undefined>> = {
  example: /例如|比如|想象|就像|假设|好比|像是/,
  difference: /区别|而|则|更|不同|类似|如果是/,
  reason: /因为|由于|所以|旨在|为了|强调/,
  definition: /指的是|通常|是一个|是指|就是|概念/,
  how: /通过|根据|方法|过程|步骤/,
  general: undefined,
};
