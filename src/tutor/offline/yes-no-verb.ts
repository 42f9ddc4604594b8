/**
 * The verb a Chinese yes/no question asks with, which a Chinese answer echoes for its verdict: "模型应用需要更新权重吗？"
 * is answered "不需要。", "微调会改变模型的行为吗？" "会。", "能不能…" "能。" / "不能。"; a question asked with 是 (or with
 * none of these) keeps 是的 / 不是这样. Read from the question's structure, the first such verb in it.
 */

/** Each verb's pattern (an A-not-A form first), and its yes and no answers. */
const VERBS: readonly { readonly pattern: RegExp; readonly yes: string; readonly no: string }[] = [
  { pattern: /需不需要|要不要|还需要|需要|还要/, yes: '需要', no: '不需要' },
  // 会 of "会改变…吗", not of 学会, 机会, 社会 or 体会.
  { pattern: /会不会|(?<![学机社体理领误])会(?=[^，。？?！!]{1,24}[吗么][？?！!。]?\s*$)/, yes: '会', no: '不会' },
  // 能 of "能…吗", not of 性能, 功能, 智能, 可能 or 技能.
  { pattern: /能不能|(?<![性功智可技才本体动潜])能(?!力|够力)(?=[^，。？?！!]{1,24}[吗么][？?！!。]?\s*$)/, yes: '能', no: '不能' },
  { pattern: /可不可以|可以(?=[^，。？?！!]{1,24}[吗么][？?！!。]?\s*$)/, yes: '可以', no: '不可以' },
  { pattern: /有没有/, yes: '有', no: '没有' },
];

/** A copula or 算 before the verb asks whether something is so: 是的 / 不是 answer it ("是不是需要…" keeps 是的). */
const COPULA_FIRST = /是不是|算不算|^[^，。？?]{0,12}?(?:就是|是否)/;

/** The yes and no words echoing the question's verb, or undefined when it asks with 是 or none of these verbs. */
export function echoedVerdictWords(question: string): { readonly yes: string; readonly no: string } | undefined {
  let best: { readonly at: number; readonly yes: string; readonly no: string } | undefined;
  for (const verb of VERBS) {
    const at = question.search(verb.pattern);
    if (at >= 0 && (best === undefined || at < best.at)) best = { at, yes: verb.yes, no: verb.no };
  }
  if (best === undefined) return undefined;
  const copula = question.search(COPULA_FIRST);
  if (copula >= 0 && copula < best.at) return undefined;
  return { yes: best.yes, no: best.no };
}
