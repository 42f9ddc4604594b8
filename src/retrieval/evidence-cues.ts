/**
 * The kind of evidence a question asks for, as ranking sees it: a definition wants the sentence that defines its topic,
 * an example question the sentence that gives one ("例如…", "for example…"), a risk question the sentence that says what
 * may go wrong ("但也可能…", "may also…"), a why question the sentence that gives a reason ("因为…", "because…").
 *
 * This is deliberately not the answer plan's intent (src/tutor/question-intent.ts, which sits above retrieval and
 * chooses how an answer is written): ranking only needs to know which discourse cues make a sentence the right evidence,
 * in the original and in its English rendering alike, so the cues here are bilingual and the kinds few.
 */

import { boundedMemo } from '../support/bounded-memo.js';
import { escapeRegExp } from '../support/escape-regexp.js';
export type EvidenceKind =
  | 'definition'
  | 'example'
  | 'risk'
  | 'reason'
  | 'summary'
  | 'comparison'
  | 'shared'
  | 'amount'
  | 'condition'
  | 'relation'
  | 'analogy';

/**
 * A question on the article's analogy, by its everyday names (比喻, 比方, 故事, "story", "analogy") or the figure's own
 * words (烹饪, 做菜, 厨师, "cooking", "chef"): the sections headed as the analogy answer it (ANALOGY_HEADING). The one
 * source for ranking's evidence kind and the answer plan's intent (src/tutor/question-intent.ts).
 */
export const ANALOGY_QUESTION =
  /比喻|类比|比方(?!说)|譬喻|故事|烹饪|做菜|厨师|菜肴|analogy|metaphor|\bstor(?:y|ies)\b|\bparables?\b|cooking|\bchef\b|\brecipe\b/i;

/** Sections that hold an analogy or examples, by heading (the shipped article's "用烹饪的例子来理解微调和调教"). */
export const ANALOGY_HEADING = /烹饪|比喻|类比|例子|打比方|analogy|example|metaphor/i;

/**
 * A question on how two things relate: one part or a kind of the other, one including the other, their relation
 * ("微调算不算调教的一部分？", "调教和微调是什么关系？", "Is fine-tuning just a kind of tuning?"): the sentence stating an
 * inclusion or a breadth answers it ("调教这个词通常更广义,它可以包括微调在内"). Not what a thing includes ("调教包括调整
 *学习率吗", "Does tuning include…?": its own words find that) nor what kind of thing it is ("What kind of model is X?").
 */
export const RELATION_QUESTION =
  /的一部分(?=[吗呢吧嘛？?。，,！!]|$)|的一种(?=[吗呢吧嘛？?。，,！!]|$)|属于|什么关系|啥关系|关系是|有关系|(?<!\b(?:what|which) )\b(?:a )?(?:kind|type|sort|form|part|subset|special case) of\b|\brelat(?:ed|ion|ionship)\b/i;

/**
 * A question asking when, in which case or under what conditions ("什么时候用微调", "什么情况下…就足够了", "When should I
 * say tuning?", "in what cases…"): the sentence that states a condition answers it ("如果是…,使用微调", "通常适用于…的情况").
 * Checked first: "文章是怎么总结什么时候用…的" asks for the summary's conditions.
 */
export const CONDITION_QUESTION =
  /什么时候|何时|什么情况|哪种情况|哪些情况|什么场景|哪些场景|哪种场景|什么条件|\bwhen (?:should|would|do|does|is|are|to|can|must|might)\b|\bin (?:what|which) (?:cases?|situations?|circumstances)\b|\bunder what\b/i;

/**
 * The one source of the words of sameness, for ranking, for the question's kind and for the answer plans alike: words
 * asking what two things have in common ("有什么相同的地方", "what do they share"), not words of any article.
 */
export const SHARED_WORDS =
  /共性|共同点|共同之处|相同点|相同之处|相同的地方|一样的地方|相似之处|共通之处|in common|\bshare\b|\bshared\b|similarities/i;

/** A question on what two things share: its words of sameness, or a predicate said of both ("都需要…", "both need"). */
export const SHARED_QUESTION = new RegExp(
  `${SHARED_WORDS.source}|共同|都(?:需要|要|依赖|涉及)|\\balike\\b|\\bboth (?:need|require|use|rely)`,
  'i',
);

/**
 * A question asking how much or how many ("需要多少数据", "how much data"): the sentence that speaks of the amount
 * ("数据量", "the amount of data") answers it, whether or not the article gives a figure. How long is not an amount here:
 * the comparison of durations answers it.
 */
export const AMOUNT_QUESTION = /多少|几(?:个|次|张|块|台|条|种)|\bhow (?:much|many)\b/i;

/**
 * A definition asked in everyday words rather than "什么是X" / "What is X?": 什么叫X, 啥叫X, 啥是X, X是啥, X是个啥, X指啥, X是干嘛的
 * (干什么的, 做什么的), X是个什么东西, 如何理解X, 何为X, X是怎么(一)回事; "what do people mean by X", "what is meant by X",
 * "what does X refer to", "what counts as X", "how should I understand X", "what's the deal with X";
 * a request to explain a thing named alone ("解释一下X", "给我讲讲X", "简单说说X", "explain X please", "describe X"; not "tell me about X", which asks for
 * more than what X is), not how, why,
 * how two differ or by an analogy ("解释一下微调怎么做", "explain how…", "Explain X as if it were…": those ask for a method,
 * a reason, a contrast or the figure) nor "it" (explain it again); and "X means?", "X means what?".
 * The one source for ranking's evidence kind and the answer plan's intent (src/tutor/question-intent.ts).
 */
export const EVERYDAY_DEFINITION_FRAME =
  /什么叫|啥叫|啥是|是啥|是个啥|指(?:的是)?啥|是(?:个)?什么东西|(?:怎么|如何|怎样)理解(?![^，。？?]*(?:区别|不同|差别|差异|关系))|是怎么(?:一)?回事|(?:干嘛|干什么|做什么|干啥)(?:用)?的|何为|何谓|^(?:请|麻烦你?|帮我|给我|跟我|和我)?(?:简单|简要|大概|通俗)?地?(?:解释|讲解|介绍|说说|讲讲|聊聊|说明)(?!(?:一下|下)?[。？?！!]?$)(?:一下|下)?(?![^，。？?]*(?:怎么|如何|怎样|为什么|为啥|区别|不同|差别|关系|比喻|比方|例子|[和与跟及]|它|这))[^，。？?,\s]{1,12}[。？?！!]?$|\bwhat (?:do|does) (?:people|you|they|folks|we|it) mean by\b|^what counts as\b|\bwhat (?:does|do) [\w' -]{1,40} refer to\b|\bhow (?:should|do|can|would) (?:i|we|you|one) understand\b|\b(?:is|are) meant by\b|\bthe deal with\b|^(?:please\s+)?(?:explain|describe)\s+(?!(?:how|why|when|where|whether|if|it|this|that|them|again|more|the differences?)\b)(?![^?]*\b(?:as if|like|using|with|by|versus|vs|and|or)\b)[\w' -]{1,40}[.?!]?$|^[\w' -]{2,40}\bmeans(?: what)?\s*\?\s*$/i;

/**
 * A brevity aside ("what's X, in short?", "…in a nutshell"): a definition so asked wants its short version
 * (ASKS_PLAINLY), not the article's summary.
 */
const BREVITY_ASIDE = /[,，]?\s*\b(?:in short|in a nutshell|briefly)\b/gi;

/** The question without a brevity aside when what is left asks for a definition; else the question as it is. */
export function withoutBrevityAside(question: string, asksDefinition: RegExp): string {
  const rest = question.replace(BREVITY_ASIDE, ' ');
  return rest !== question && asksDefinition.test(rest) ? rest : question;
}

/**
 * A definition may open with a framing phrase set off by a comma ("In plain words, what is X?", "简单来说，X是什么？"),
 * and it may ask what kind of thing X is ("X是什么样的模型？", "X是一种怎样的模型？", "What kind of model is X?"): the
 * sentence that defines X answers both. Not "X适合什么样的任务" (no copula: which tasks suit it) nor "what kind of
 * tasks is X good for?" (a preposition at the end asks what X serves).
 */
export const DEFINITION_EVIDENCE = new RegExp(
  `${EVERYDAY_DEFINITION_FRAME.source}|是什么意思|什么是|是什么[？?]?$|指的是什么|指什么|含义是|定义|是(?:一种|一个|一类)?(?:什么样|怎样|怎么样|哪种|哪一种|哪类|何种)的?[^，。？?,]{0,6}[？?]?$|(?:^|[,:;]\\s*)what(?: \\w+ly)?(?: i|')s\\b|^what (?:kind|sort|type) of [\\w-]+ (?:is|are) (?:(?!\\b(?:for|to|with|at|in|on|of)\\W*$)[\\w -])+\\W*$|what (?:\\w+ly )?(?:does|do) .+ mean|\\bwhat [\\w -]{1,40} (?:is|are|means)\\W*$|\\bdefine\\b|definition of|meaning of`,
  'i',
);

/**
 * What the article (the text, the material, "this whole thing") is about or says, asked of the whole and of nothing in
 * particular: 这篇文章主要讲了什么, 这个资料是关于什么的, 文章的结论, "What is the article about?", "What does the text
 * say?". An English question that goes on ("What does the article say about overfitting?")
 * asks about its topic, not for the whole.
 */
const ABOUT_THE_WHOLE_SOURCE =
  '(?:文章|这篇|本文|全文|原文|资料|材料|内容)[^，。？?！!]{0,8}?(?:讲|说|谈|写|介绍|告诉|表达|关于)[^，。？?！!]{0,4}?(?:什么|啥)|结论|' +
  "\\bwhat(?:'s| is| are)? (?:(?:the|this|that) )?(?:whole )?(?:article|text|note|document|material|piece|page|reading|thing)s? (?:all )?about\\b|" +
  '\\bwhat (?:does|do) (?:the|this|that) (?:article|text|note|document|material|piece|page|author|writer)s? (?:say|cover|discuss|talk about|tell (?:me|us)|teach|want to say|argue)(?=,?\\s*(?:in short|in a nutshell|briefly)?\\s*[?.!]*$)|' +
  '\\b(?:main|central|whole) (?:point|argument)s?\\b|\\bconclu(?:sion|ding|de)s?\\b';

/**
 * ABOUT_THE_WHOLE_SOURCE as a pattern of its own, checked after every other kind: a question that also asks for a
 * difference, a reason or an example ("What's the main point of difference…") is that kind.
 */
export const ABOUT_THE_WHOLE = new RegExp(ABOUT_THE_WHOLE_SOURCE, 'i');

/**
 * How long the answer should be (几句话, 一句话, "in two sentences", "in a nutshell"): no kind of answer of its own
 * ("Tuning vs fine-tuning in one sentence each?" is a contrast, "In short, how do they differ?" too), but no topic
 * either, beside a summary of the whole ("What does this article say, in a nutshell?").
 */
export const ANSWER_LENGTH =
  /[一两二三几]句话|简单(?:地|来)?说|\bin (?:one|two|three|a few|\d) (?:sentences?|lines|words|points)\b|\bin short\b|\bin a nutshell\b|\bbriefly\b/i;

/** The article's main message asked in other words: 主要内容, 核心观点, 中心思想, "the main idea", "the bottom line". */
const ARTICLE_GIST =
  /主要内容|核心(?:观点|思想|内容)|中心思想|主旨|大意|\b(?:main|key) (?:ideas?|messages?|takeaways?)\b|\btakeaways?\b|\bbottom line\b/i;

/**
 * A question asking for a summary: its points, gist or main message are its summary too ("文章的要点", 主要内容, 核心观点,
 * "the key points", "the bottom line"), as the ranking, coverage and the answer plans read them (one pattern for all
 * three; also inside an analogy question: "比喻最后是怎么总结的"). What the whole is about is ABOUT_THE_WHOLE's.
 */
export const SUMMARY_QUESTION = new RegExp(
  `总结|概括|归纳|要点|总的来说|\\bsums? (?:it )?up\\b|summar|\\btl;?dr\\b|\\b(?:main|key) points\\b|\\bgist\\b|\\boverview\\b|${ARTICLE_GIST.source}`,
  'i',
);

/** Checked in order: the first kind whose question pattern matches wins ("为什么有风险" asks for a reason). */
const QUESTION_PATTERNS: readonly (readonly [EvidenceKind, RegExp])[] = [
  ['condition', CONDITION_QUESTION],
  ['summary', SUMMARY_QUESTION],
  ['reason', /为什么|为何|原因|\bwhy\b|\breasons?\b/i],
  ['relation', RELATION_QUESTION],
  ['analogy', ANALOGY_QUESTION],
  // English comparatives by their morphology (broader, faster: -er at the end of the clause or before "than"); a
  // comparative yes/no question ("A比B更快吗", "Is A slower than B?") wants the comparative sentence as much, and so
  // does a choice between two options ("用A还是用B比较合适", "Should I use A or B…", "the better fit").
  // In Chinese also "A比B好吗" (比 and a gradable adjective, without 更: 比较 "rather" and 比如 "for example" are not
  // comparisons) and a comparative with its standard left implicit ("需要更长时间吗", "会更慢吗"): 更 before a gradable
  // adjective, not the adverb 更好地 ("to better fit").
  [
    'comparison',
    /哪(?:个|一个|种)[^，。？?]{0,12}(?:更|较|比)|(?:比|不如)[^，。？?]{1,12}(?:更|较)|比(?![较如])[^，。？?]{1,12}(?:好|差|快|慢|高|低|多|少|大|小|长|短|强|弱|贵|便宜|准|难|容易)|更加?(?:长|短|快|慢|高|低|多|少|大|小|强|弱|贵|便宜|准|难|容易|(?:好|差)(?!地))|(?:用|选)[^，。？?]{1,12}还是[^，。？?]{1,16}(?:合适|适合)|\b(?:which|should|do|would) (?:\w+ ){0,2}(?:use|pick|choose|go with)\b[^?]*\bor\b|\bthe better (?:fit|choice|option|pick)\b|\bwhich\b.*\b(?:more|less|better|worse|[a-z]{3,}er(?= than|[,?.]|$))|\b(?:[a-z]{3,}er|more|less|better|worse)\b[^,.?;]{0,30}\bthan\b/i,
  ],
  // What two things have in common: words of sameness, not of any article ("有什么相同的地方", "what do they share").
  ['shared', SHARED_QUESTION],
  [
    'risk',
    /风险|缺点|坏处|短处|短板|隐患|弊端|局限|不足|代价|(?:什么|哪些|啥|有)坑|踩坑|(?:什么|哪些|啥)(?:要|需要|值得)注意|副作用|(?:有|带来|导致|出现|遇到)(?:什么|哪些|啥)问题|\bgotchas?\b|side[- ]effects?|\brisks?\b|downsides?|drawbacks?|disadvantages?|limitations?|pitfalls?|weakness|shortcomings?|go wrong|\b(?:any|the|a) catch\b/i,
  ],
  ['example', /例子|举例|举个|\bexamples?\b|for instance/i],
  ['amount', AMOUNT_QUESTION],
  ['summary', ABOUT_THE_WHOLE],
  ['definition', DEFINITION_EVIDENCE],
];

/** Sentence cues of each kind, in Chinese and English (sentences are matched with their aligned rendering). */
const SENTENCE_CUES: Readonly<Record<Exclude<EvidenceKind, 'definition' | 'summary' | 'shared' | 'analogy'>, RegExp>> = {
  example: /例如|比如|譬如|举例|假设|想象|\bfor example\b|\bfor instance\b|\bsuch as\b|\be\.g\.|\bsuppose\b|\bimagine\b/i,
  risk: /但也?可能|可能会?导致|不如|风险|局限|缺点|弊端|过拟合|\bbut (?:it )?(?:may|might|could)\b|\bmay (?:also )?(?:lead|cause|result)\b|\brisks?\b|overfit|not as good|drawbacks?|downsides?|limitations?/i,
  // 更 of degree, not of 更新 / 更改 / 更换 / 变更 (update, change, replace), which compare nothing.
  comparison: /(?<!变)更(?![新改换正替迭动像])|较|优于|不如|\bmore\b|\bless\b|\bbetter\b|\bworse\b|\b\w{3,}er than\b/i,
  reason: /因为|由于|所以|因此|为了|旨在|\bbecause\b|\bsince\b|\bso that\b|\bin order to\b|\btherefore\b/i,
  amount: /量|规模|多少|\bamount\b|\bnumber of\b|\bsize\b|\bscale\b/i,
  relation:
    /包括|包含|在内|属于|涵盖|一部分|广义|宽泛|\bbroader\b|\bincludes?\b|\bincluded\b|\bincluding\b|\bcovers?\b|\bpart of\b|\bsubset\b/i,
  condition:
    /如果|假如|若是|(?<!倘)若(?=[在是有])|的情况|情况下|场景|适用于|\bif\b|\bwhen\b(?! \w+ing\b)|\bin cases?\b|\bsituations?\b|\bsuit(?:s|ed)?\b/i,
};

/** A summary sentence, or any sentence of a section headed as a summary ("总结一下", "In summary"). */
export const SUMMARY_CUE = /总结|小结|总之|总的来说|概括|\bsummary\b|\bin summary\b|\bto sum up\b|\bin short\b/i;

/**
 * A section headed as what things have in common ("共性", "What they have in common"), in the heading or its rendering.
 * Only the heading: "both …" also opens introductions that go on to the differences.
 */
export const SHARED_HEADING = /共性|共同|相同|相似|共通|in common|\bshared?\b|similarit/i;

/**
 * A definition of a term, by the structure of its sentence, not by any article's wording: the term is the subject and
 * a copula or a verb of meaning follows within a few characters ("微调通常指的是…", "调教则是…", "X 称为…"), also
 * after the term as a label ("微调(Fine-tuning): 微调通常指的是…", "**应用**:通常是…", markup stripped). A label alone is
 * not a definition: "**微调**:时间较长…" labels an aspect. In English, the rendering opens with
 * the term and a copula or verb of meaning follows ("Tuning is a broader concept", "Fine-tuning refers to…").
 */
const CHINESE_DEFINING = '(?:是|指|称为|称作|叫做|叫作|即|意为|意味着|意思是|定义为)';
const CHINESE_LABEL = '(?:\\s*[（(][^）)]{0,40}[）)])?\\s*[:：]';
const ENGLISH_DEFINING =
  /^[^.;]{0,40}?\b(?:refers? to|means|is defined as|(?:is|are) (?:called|known as)|(?:is|are) (?:a|an|the|one|any)\b)/i;

/** The evidence a question asks for, or undefined when it asks for none in particular (a plain "which", "how"). */
export function evidenceKindOf(question: string): EvidenceKind | undefined {
  const text = withoutBrevityAside(question.trim(), DEFINITION_EVIDENCE);
  for (const [kind, pattern] of QUESTION_PATTERNS)
    if (pattern.test(text)) return kind === 'definition' && ASKS_DIFFERENCE.test(text) ? undefined : kind;
  return undefined;
}

/**
 * A difference asked in a definition's form ("What's the difference between A and B?", "区别是什么"): it asks for no
 * definition, and a defining sentence of one side would outrank the sentences that set the two apart.
 */
export const ASKS_DIFFERENCE = /区别|区分|不同|差别|差异|不一样|\bdiffer(?:s|ent|ence|ences)?\b|\bdistinction\b|\bdistinguish/i;

/** One sentence as ranking reads it: the original (markup stripped) and its aligned rendering, when there is one. */
export interface CueSentence {
  readonly original: string;
  readonly rendering?: string;
  /** The headings above the sentence's passage, original and rendered, joined. */
  readonly headings?: string;
}

/**
 * Whether a sentence carries the cue of `kind`. A definition cue must define one of `topics` (the question's own topic
 * words, Chinese or English): "微调通常指的是…" answers "微调是什么？", not "调教是什么？".
 */
export function carriesCue(kind: EvidenceKind, sentence: CueSentence, topics: readonly string[]): boolean {
  if (kind === 'summary')
    return [sentence.original, sentence.rendering ?? '', sentence.headings ?? ''].some((text) => SUMMARY_CUE.test(text));
  if (kind === 'shared') return SHARED_HEADING.test(sentence.headings ?? '');
  if (kind === 'analogy') return ANALOGY_HEADING.test(sentence.headings ?? '');
  if (kind !== 'definition') {
    const cue = SENTENCE_CUES[kind];
    return cue.test(sentence.original) || (sentence.rendering !== undefined && cue.test(sentence.rendering));
  }
  const { original, lowerRendering, renderingDefines } = definitionReadingOf(sentence);
  const { chinese, english } = definitionTopicsOf(topics);
  return (
    chinese.some((pattern) => pattern.test(original)) ||
    (renderingDefines && english.some((topic) => lowerRendering?.startsWith(topic) === true))
  );
}

/** A sentence as a definition cue reads it: list markup, bold markers and quotes stripped; its rendering lower-cased. */
interface DefinitionReading {
  readonly original: string;
  readonly lowerRendering: string | undefined;
  /** The rendering has a copula or verb of meaning near its start (ENGLISH_DEFINING). */
  readonly renderingDefines: boolean;
}
/**
 * Per sentence object (a ranked passage's sentences are made once and kept): ranking tests every sentence of 30
 * passages per search, and stripping its markup again each time was a good part of what a definition question costs.
 */
const definitionReadings = new WeakMap<CueSentence, DefinitionReading>();
function definitionReadingOf(sentence: CueSentence): DefinitionReading {
  let reading = definitionReadings.get(sentence);
  if (!reading) {
    const rendering = sentence.rendering === undefined ? undefined : stripMarkup(sentence.rendering);
    reading = {
      original: stripMarkup(sentence.original),
      lowerRendering: rendering?.toLowerCase(),
      renderingDefines: rendering !== undefined && ENGLISH_DEFINING.test(rendering),
    };
    definitionReadings.set(sentence, reading);
  }
  return reading;
}
const stripMarkup = (text: string): string => text.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '').replace(/\*\*|"/g, '');

/** The topics a definition must define: each Chinese one's pattern, the English ones lower-cased (per topic list). */
const definitionTopics = new WeakMap<readonly string[], { readonly chinese: readonly RegExp[]; readonly english: readonly string[] }>();
function definitionTopicsOf(topics: readonly string[]): { readonly chinese: readonly RegExp[]; readonly english: readonly string[] } {
  let split = definitionTopics.get(topics);
  if (!split) {
    const isChinese = (topic: string): boolean => /[\u3400-\u9fff]/.test(topic);
    split = {
      chinese: topics.filter(isChinese).map((topic) => definingPattern(topic)),
      english: topics.filter((topic) => !isChinese(topic)).map((topic) => topic.toLowerCase()),
    };
    definitionTopics.set(topics, split);
  }
  return split;
}

/**
 * "微调" → /^微调(?:label)?[^。！？，]{0,6}?(?:是|指|…)/ or the term in apposition ("X,这些模型通常是…"), built once per
 * topic (a bounded number are kept).
 */
const definingPattern = boundedMemo(
  2000,
  (topic: string): RegExp =>
    new RegExp(
      `^${escapeRegExp(topic)}(?![和与跟及、])(?:${CHINESE_LABEL})?(?:(?!像|好比|如同)[^。！？，,：:]){0,6}?${CHINESE_DEFINING}` +
        // The term described in apposition: "…大型预训练模型,这些模型通常是在大规模数据集上训练得到的".
        `|${escapeRegExp(topic)}[,，](?:这些|这种|这类|它们|它)[^,，。！？]{0,6}?${CHINESE_DEFINING}`,
    ),
);
