import {
  ABOUT_THE_WHOLE,
  ANALOGY_QUESTION,
  DEFINITION_EVIDENCE,
  SHARED_WORDS,
  SUMMARY_QUESTION,
  withoutBrevityAside,
} from '../retrieval/evidence-cues.js';
import { ANSWER_KIND_TERMS } from '../retrieval/text-analyzer.js';

/**
 * What kind of answer a question asks for; it chooses the answer plan (src/tutor/offline/answer-plans.ts) and the
 * answer's frame.
 * - `definition`: what X is. `difference`: how X and Y differ. `aspect`: how they differ in one respect (time, effect...).
 * - `example`: an instance of X. `analogy`: the article's comparison (the cooking analogy).
 * - `reason`: why. `how`: how it is done. `risk`: downsides and limits. `which`: which term or option to use.
 * - `yesno`: a question answered by yes or no. `summary`: the gist. `general`: anything else.
 */
export type QuestionIntent =
  | 'difference'
  | 'aspect'
  | 'example'
  | 'analogy'
  | 'reason'
  | 'risk'
  | 'which'
  | 'summary'
  | 'definition'
  | 'how'
  | 'yesno'
  | 'general';

/**
 * Risk words that ask for a risk ("缺点", "downside", and the everyday worry: "需要担心什么", "what's bad about",
 * "weak points", "the limits of"), and risk words that only name one (过拟合, "overfitting"): a
 * question that names a risk in a definition's form ("什么是过拟合？") asks what it is.
 */
const ASKS_FOR_RISK =
  /风险|缺点|担心|担忧|顾虑|\bbad about\b|\bweak (?:points?|spots?|sides?)\b|\blimits? (?:of|to)\b|\bconcerns?\b|\bworr(?:y|ied|ies)\b|坏处|短处|短板|隐患|弊端|局限|不足|代价|(?:什么|哪些|啥|有)坑|踩坑|(?:什么|哪些|啥)(?:要|需要|值得)注意|副作用|(?:带来|有|会有|出现|出|会出)(?:什么|哪些)问题|\bgotchas?\b|side[- ]effects?|注意(?:什么|哪些|事项)|\bwatch out\b|\bbe careful\b|\bbeware\b|\bproblems?\b|\bissues?\b|\brisks?\b|downside|drawback|disadvantage|limitation|pitfall|weakness|shortcoming|go(?:es)? wrong|\b(?:any|the|a) catch\b/i;
const NAMES_A_RISK = /过拟合|overfit/i;

/** One thing set beside another: "跟微调比", "和微调相比", "比起微调", "相比之下" (not 比如 nor 比较 as "rather"). */
const COMPARED_WITH = '(?:(?:跟|和|与|同)[^，。？?]{1,16}(?:相?比(?!如|较好)|比较|对比)|比起|相比|相较)';

/**
 * A comparison in one respect: "在训练过程上有什么不同", "differ in cost", what they share, which is faster or better
 * ("哪个效果好一些", "which gives better results").
 */
const ASPECT_QUESTION = new RegExp(
  [
    '在[^，。？?]{1,12}(?:上|方面)(?:有|的)?(?:什么|哪些|何)?(?:区别|不同|差异|差别)|方面的?(?:区别|不同|差异)',
    SHARED_WORDS.source,
    '共同|谁更|(?:哪个|谁)(?:比较)?[快慢]|哪(?:个|一个|种)[^，。？?]{0,8}(?:更|较|比较|[好快慢高低多少大小长短](?:一些|一点|些|点))',
    '从[^，。？?]{1,12}(?:来看|上看|看)|各有什么|各自有什么',
    // Which of two is so, asked with a bare adjective at the end ("哪个效果好？", "谁的范围大一点？").
    '(?:哪(?:个|一个|种)|谁)[^，。？?]{0,8}[好快慢高低多少大小长短强弱准省贵](?:一些|一点|些|点)?[？?]?$',
    // One set beside the other ("跟微调比", "比起微调", "相比之下") and asked about in a respect: an A-not-A question on
    // it ("费不费时间", "准不准") or a comparative.
    `${COMPARED_WITH}[^。？?]*(?:(?<repeated>[\\u4e00-\\u9fff])不\\k<repeated>|更|较)`,
    'in terms of|with respect to|when it comes to|\\bdiffer(?:s|ent)? in\\b|\\bwhich (?:\\w+ ){0,2}(?:\\w+er|more \\w+|less \\w+|better|worse)\\b',
  ].join('|'),
  'i',
);

/**
 * A definition asked in its usual forms ("什么是X", "X是什么意思", "What is X?", "What does X mean?", "…what X is?"), and in
 * every form the ranking reads as one (DEFINITION_EVIDENCE: everyday frames, "X是一种怎样的模型？", "What kind of model is X?").
 */
const DEFINITION_QUESTION = new RegExp(
  `${DEFINITION_EVIDENCE.source}|是什么|什么是|指的是|指什么|含义|意思|定义|what is|what's|what are|what (?:\\w+ )?does .* mean|\\bwhat [\\w -]{1,40} (?:is|are|means)\\W*$|\\bdefine|definition|meaning`,
  'i',
);

/** Checked in order: the first that matches wins (a "why is X better than Y" is a reason, not a difference). */
const INTENT_PATTERNS: readonly (readonly [QuestionIntent, RegExp])[] = [
  // The everyday words for an analogy (text-analyzer's ANALOGY_WORDS: 故事, 比方, "story") as well as the figure's own.
  ['analogy', ANALOGY_QUESTION],
  ['example', /例子|举例|举个例|比如|例如|\bexamples?\b|for instance|illustrat/i],
  ['summary', SUMMARY_QUESTION],
  ['reason', /为什么|为何|为啥|原因|理由|\bwhy\b|reason/i],
  [
    'which',
    /哪个词|哪个更|哪一个|用哪个|该用|应该用|选哪|(?:算|是|叫|属于|该说|应该说|该叫)[^，。？?]{0,12}还是[^，。？?]{1,12}[？?]?$|用[^，。？?]{1,12}还是用?|还是[^，。？?]{1,16}(?:合适|适合)|which (?:term|word|one)|which of (?:the|these) (?:two )?(?:terms|words)|should i (?:use|say|call|pick|choose|go with)|\b(?:do|would|shall|can|could) (?:i|we) (?:use|say|call|pick|choose|go with)\b[^?]*\bor\b|\bshould (?:i|we)\b[^?]*\bor\b(?!\s+not\b)|(?:应该|该)[^，。？?]{1,12}还是|\bthe better (?:fit|choice|option|pick)\b|^(?:is|are|would|will) [^?]{1,60}\bor\b[^?]{1,60}\b(?:better|preferable|more suitable|the best)\b|^(?:is it|would it be) (?:better|best|preferable|wiser) to [^?]{1,60}\bor\b|more (?:accurate|appropriate)|better term|\b(?:called|call it|named) [\w -]{1,30} or [\w -]{1,30}\??$|\b(?:is|was) (?:that|this) (?:called )?[\w -]{1,30} or [\w -]{1,30}\??$/i,
  ],
  [
    'yesno',
    /(?:吗|么)[？?]?\s*$|是不是|是否|能不能|会不会|要不要|有没有|需不需要|可不可以|^(?:is|are|does|do|did|can|could|will|would|should|has|have|was|were)\b/i,
  ],
  // A comparison in one respect before the risk words: "differ in cost" compares, it does not ask for a risk.
  ['aspect', ASPECT_QUESTION],
  ['risk', ASKS_FOR_RISK],
  [
    'difference',
    new RegExp(
      `${COMPARED_WITH}|区别|区分|不同|不一样|差异|差别|差在|有啥两样|对比|比较|异同|differ|distinguish|distinction|compare|comparison|contrast|\\bapart\\b|\\bvs\\.?(?=\\s|$|\\?)|versus`,
      'i',
    ),
  ],
  // What the whole article is about ("这篇文章主要讲了什么", "What is the article about?"), once no other kind is asked.
  ['summary', ABOUT_THE_WHOLE],
  ['definition', DEFINITION_QUESTION],
  // How to prevent a named risk ("怎么防止过拟合？") asks for a method, not for the risk.
  ['how', /怎么|如何|怎样|\bhow\b/i],
  ['risk', NAMES_A_RISK],
];

/** "Why" asked after the question it follows up: "…，为什么？", "…？为什么？", ", and why?". */
const TRAILING_WHY = /[，,？?]\s*(?:and\s+)?(?:为什么|为啥|why)\s*[？?]?\s*$/i;

/** A yes/no main clause after a subordinate one: "When a model is applied, are its weights updated?". */
const CLOSING_YES_NO = /[,，]\s*(?:is|are|does|do|did|can|could|will|would|should|has|have|was|were)\b[^,，]*\?\s*$/i;

/** Question words other than those that may open an object clause (what, which, who: see yesNoDespiteWh). */
const OTHER_WH = /什么|哪|怎么|怎样|如何|为什么|多少|几|\b(?:how|why|where|when)\b/i;
/** A question with one of these asks for content, not for yes or no ("微调有什么缺点吗？"). */
const WH_WORDS = new RegExp(`${OTHER_WH.source}|\\b(?:what|which|who)\\b`, 'i');

/**
 * An English question opened by an auxiliary, not addressed to the tutor, whose what/which/who opens an object clause
 * ("Does fine-tuning make the model forget what it learned?"): still yes or no. "Can you tell me what X is?" asks for
 * content; a when/how clause ("…when you just use it?") is left to the content plans, which read it better.
 */
const AUXILIARY_OPENING = /^(?:is|are|does|do|did|can|could|will|would|should|has|have|was|were)\b(?!\s+(?:you|u)\b)/i;
const yesNoDespiteWh = (text: string): boolean =>
  AUXILIARY_OPENING.test(text) && !OTHER_WH.test(text) && !/^\W*(?:what|which|who)\b/i.test(text.replace(AUXILIARY_OPENING, ''));

/** "Is there any risk…", "有没有风险": asking whether there are downsides asks what they are. */
const ANY_RISK = /^(?:is|are) there\b|有没有|有无|是否有|会不会有/i;

/**
 * A request to the tutor in a question's form ("Can you say more?", "能再详细说说吗？"): it asks for more of an answer,
 * not for yes or no.
 */
const REQUEST =
  /^(?:can|could|would|will) you (?:please )?(?:say|tell|explain|elaborate|expand|go on|describe|continue|clarify|talk)\b|^(?:你)?(?:能|可以|能不能|可不可以|能否)(?:再|多|详细|具体|展开|继续)/i;

export function detectQuestionIntent(question: string): QuestionIntent {
  // "what's X, in short?" asks for X's short definition (ASKS_PLAINLY), not for the article's summary.
  const text = withoutBrevityAside(question.trim(), DEFINITION_QUESTION);
  for (const [intent, pattern] of INTENT_PATTERNS) {
    if (intent === 'yesno' && ANY_RISK.test(text) && ASKS_FOR_RISK.test(text)) return 'risk';
    // Which of two is so, with "why" after it ("哪个更慢？为什么？", "Which takes longer, …, and why?"): the comparison,
    // whose statements give their reasons ("更快,因为无需重新训练").
    if (intent === 'reason' && TRAILING_WHY.test(text) && ASPECT_QUESTION.test(text.replace(TRAILING_WHY, ''))) return 'aspect';
    // Whether two things share anything ("Is there anything they share?", "有共同点吗？") asks what they share.
    if (intent === 'yesno' && SHARED_WORDS.test(text) && pattern.test(text)) return 'aspect';
    if (intent === 'yesno' && CLOSING_YES_NO.test(text)) return 'yesno';
    if (intent === 'yesno' && ((WH_WORDS.test(text) && !yesNoDespiteWh(text)) || REQUEST.test(text))) continue;
    if (pattern.test(text)) return intent;
  }
  return 'general';
}

/** Words in a sentence that make it a good answer for an intent (an example, a reason, a contrast, a risk). */
export const INTENT_SENTENCE_CUES: Readonly<Record<QuestionIntent, RegExp | undefined>> = {
  example: /例如|比如|想象|就像|假设|好比|像是/,
  analogy: /就像|像是|好比|想象|假设|这个过程就是/,
  difference: /区别|而|则|更|不同|类似|如果是/,
  aspect: /而|则|更|不同|较/,
  reason: /因为|由于|所以|旨在|为了|强调/,
  // 可能 hedges a risk ("也可能过拟合"), not a meaning ("可能指的是", "可能还包括"): that one is a definition's.
  risk: /过拟合|可能(?!还?(?:指|是|包括))|但|不如|较长|较高|需要|取决于|风险/,
  which: /更准确|更合适|使用|选择|合适|应该/,
  summary: /总结|总之|如果是/,
  definition: /指的是|通常|是一个|是指|就是|概念/,
  how: /通过|根据|方法|过程|步骤/,
  yesno: undefined,
  general: undefined,
};

/** A sentence that opens with one of these gives an example: the example plan puts it first. */
export const EXAMPLE_OPENING = /^(?:例如|比如|举例来说|举个例子|假设|想象|譬如|for example|for instance|e\.g\.|imagine|suppose)/i;

/**
 * Frame words: question words, and the function words that join the alternatives asked about or advise (还是, 或者,
 * 应该): "应该用微调还是调教" asks about the two terms, not about a sentence that says 还是.
 */
const FRAME_WORDS =
  /^(?:还是|或者|或是|以及|应该|应当|指|叫做|叫作|是|就是|不是|算是|意思|意味着?|什么|哪些|哪个|哪|怎么|怎样|如何|为什么|为何|吗|呢|啊|想|说明|理解|讲|说|mean|meant|means|meaning|explain|explai|differ|differs|different|differenc|difference|compar|compare|contrast|distinguish|versus|vs)$/i;

/**
 * A query token that frames the question rather than naming its content: the kind words (例子, 区别, analogy) and the
 * question words (什么, 指, mean). A sentence containing one is no better an answer for it.
 */
export function isQuestionFrameWord(term: string): boolean {
  return ANSWER_KIND_TERMS.has(term) || FRAME_WORDS.test(term);
}
