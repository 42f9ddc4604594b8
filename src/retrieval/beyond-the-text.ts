/**
 * Questions that no sentence of an explanatory article can answer, whatever words they share with it: forecasts and
 * news (微调以后会被淘汰吗 asked "in five years", 今天的股价, "next year"), which ask about a time the text never speaks
 * of; shopping (which GPU to buy, the cheapest card, a price); code and commands; judgments of law and ethics; books and courses to read; where to get something; and requests for a procedure (a recipe, the steps to cook
 * something) about what the text tells only as a story.
 * Each reads the question's form, not its topic; a corpus that does speak of such a time (a dated changelog, a
 * forecast) is asked about it as usual, because the time words must be absent from every passage.
 */

/**
 * Absolute or future times: today and tomorrow, this or next year, "in five years", "by 2030", 未来, 将来, 明年, 三年后.
 * Relative times inside the question's own story (微调之前, "after fine-tuning", "in the long run") are not among them.
 */
const TIME_REFERENCES: readonly RegExp[] = [
  /未来|将来|今后|明年|今年|去年|明天|今天|昨天|后天|[0-9一二两三四五六七八九十几]+年(?:后|以后|之后|内)/g,
  /\b(?:today|tomorrow|yesterday|nowadays|someday|in the future|(?:this|next|last) (?:year|month|week|decade)|in (?:a few|\d+|two|three|four|five|six|seven|eight|nine|ten|twenty) (?:years|decades)|years from now|by (?:19|20)\d\d|in (?:19|20)\d\d)\b/gi,
];

/**
 * Shopping: what to buy (a choice of a product: "Which GPU should I buy", 买哪款显卡, 选购) or its price ("the cheapest",
 * 价格, 最便宜). Not the cost of an approach ("differ in cost", 更省钱): the article compares time and resources.
 */
const SHOPPING: readonly RegExp[] = [
  /\b(?:which|what)\b[^?.!]{0,40}\b(?:buy|purchase)\b|\b(?:cheapest|priciest|most expensive|price|prices|pricing)\b/gi,
  /买(?:哪|什么)|哪(?:个|款|种|张|块|家)[^，。？?]{0,8}买|选购|购买|价格|价钱|售价|最便宜|最贵/g,
];

/**
 * Code and commands (微调需要写哪些代码, "the command to fine-tune in Python"): the article describes what the approaches
 * are, not how to run them. Judgments of law and ethics (违法, "ethical"): the article makes none.
 */
const CODE_AND_JUDGMENTS: readonly RegExp[] = [
  /\b(?:code|commands?|scripts?|snippets?|programming|ethical|unethical|ethics|legal|illegal|moral)\b/gi,
  /代码|命令|脚本|编程|合法|违法|道德|伦理/g,
];

/**
 * History, people and the world outside the text: who invented or first used something, when it began or how popular
 * it became (什么时候开始流行, "popular"), which companies
 * or products use it, the fields it is applied in (医疗, "self-driving cars"), how to deploy it or collect its data. An
 * explanatory article that never writes these words answers none of them ("Who invented fine-tuning?" shares only
 * 微调 with it).
 */
const HISTORY_AND_WORLD: readonly RegExp[] = [
  /\bwho (?:invented|created|coined|came up with|introduced|proposed|discovered|developed|first)\b|\b(?:inventors?|invented|invention|history|origins?|originated)\b|\bwhen (?:was|were|did)\b|\bwhat year\b|\bfirst (?:used|introduced|proposed|invented)\b|\b(?:popular|popularity|trendy|trending)\b/gi,
  /\b(?:compan(?:y|ies)|corporations?|startups?|vendors?|products?|brands?|industr(?:y|ies)|medic(?:al|ine)|healthcare|hospitals?|financ(?:e|ial)|banking|self-driving|robots?|deploy(?:ed|ing|ment)?|collect(?:ed|ing|ion)?|gather(?:ed|ing)?)\b/gi,
  /谁(?:发明|提出|创造|首先|最早|最先)|发明|起源|历史|最早|哪一年|哪年|(?:什么时候|何时)(?:开始|出现|兴起|诞生|提出|有的)|流行|普及|公司|企业|厂商|产品|品牌|行业|医疗|医院|金融|银行|自动驾驶|机器人|部署|上线|收集|采集/g,
];

/**
 * Reading and courses to recommend (推荐几本书, 讲微调的好课程, "recommend some books", "a good course on…"): sources outside the text,
 * which an article that cites none cannot name. 资料 only after 推荐: 需要什么资料 asks for data. A resource word alone (这篇文章, "the article says") is no request.
 */
const RECOMMENDED_READING: readonly RegExp[] = [
  /\b(?:recommend|suggest)\w*\b[^?.!]{0,40}\b(?:books?|textbooks?|courses?|tutorials?|papers?|videos?|resources|reading)\b|\b(?:good|best|any) (?:books?|textbooks?|courses?|tutorials?|papers?)\b|\breading list\b/gi,
  /推荐[^，。？?！!]{0,12}(?:书|教材|课程|教程|论文|视频|资料)|(?:哪些|什么|几本|有没有[^，。？?！!]{0,12}的)?好的?(?:书|教材|课程|教程|论文)|(?:哪些|什么|几本)(?:书|教材|课程|教程|论文)/g,
];

/**
 * Where to get something (训练数据从哪里找, 去哪儿下载, "Where can I find datasets?"): places and sources outside the
 * text. Not where something stands in the text's own story (在哪个阶段, 知识从哪里来): only a verb of getting counts.
 */
const WHERE_TO_GET: readonly RegExp[] = [
  /\bwhere (?:can|could|do|should|would) (?:i|we|you|one) (?:find|get|download|buy|obtain|rent|borrow)\b|\bwhere to (?:find|get|download|buy|obtain|rent)\b/gi,
  /(?:哪里|哪儿|哪)(?:能|可以|才能)?(?:找|下载|买|获取|获得|弄到|租|申请)/g,
];

/**
 * The words of a question asking about a time the corpus text (all passages, original and rendering, lower case)
 * never writes, about buying something, code, or law and ethics, where the corpus never speaks of them; undefined
 * when there are none.
 */
export function askedBeyondTheText(question: string, corpusText: string): string | undefined {
  for (const pattern of [
    ...TIME_REFERENCES,
    ...SHOPPING,
    ...CODE_AND_JUDGMENTS,
    ...HISTORY_AND_WORLD,
    ...RECOMMENDED_READING,
    ...WHERE_TO_GET,
  ])
    for (const match of question.matchAll(pattern)) if (!corpusText.includes(match[0].toLowerCase())) return match[0];
  return undefined;
}

/**
 * A request for a procedure (a recipe, steps, how to make or cook something, how to improve or learn it): the article's analogy tells how a chef
 * adjusts a dish, not how to cook it, so a question whose matched words are only the analogy's and that asks for a
 * recipe is about cooking. An analogy question ("在烹饪的例子里…") asks for the figure and is read elsewhere.
 */
export const PROCEDURE_REQUEST =
  /\b(?:give|tell|show|write|send) me (?:a |the |some )?(?:recipe|steps|instructions)\b|\bhow (?:do|can|should|would) (?:i|you|we|one) (?:make|cook|prepare|stew|braise)\b|\bhow to (?:make|cook|prepare|stew|braise)\b|\bhow (?:do|can|should|would) (?:i|you|we|one) (?:improve|learn|practi[cs]e|get better)\b|怎么(?:做|炖|煮|烧|弄)|如何(?:做|炖|煮|烧)|(?:怎么|如何|怎样)(?:才能)?(?:提高|提升|练|学|改进)|做法|菜谱|食谱|步骤/i;
