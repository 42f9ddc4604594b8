import type { GlossaryTerm } from '../../ingest/glossary.js';
import type { AnswerPlan } from './plan-types.js';

/** The verdict's frame in each language, `none` when the evidence gives none. */
const LEADS: Readonly<Record<'zh' | 'en', Readonly<Record<'yes' | 'no' | 'maybe' | 'none', string>>>> = {
  zh: {
    yes: '是的。文章是这样说的：',
    no: '不是这样。文章是这样说的：',
    maybe: '有可能，要看情况。文章是这样说的：',
    none: '文章没有直接说是或不是，相关的说法是：',
  },
  en: {
    yes: 'Yes. The article says:',
    no: 'No. The article says:',
    maybe: 'Possibly; it depends. The article says:',
    none: 'The article does not say yes or no outright. What it says:',
  },
};

const quote = (term: GlossaryTerm): string => `「${term.zh}」`;
const gloss = (term: GlossaryTerm): string => (term.en.length === 0 ? term.zh : `**${term.gloss}** (${term.zh})`);

/**
 * The opening of a yes/no answer in the learner's language: the verdict first (是的 / 不是 / 有可能; Yes / No /
 * Possibly), or that the article does not say, or, for a comparison the article makes with something else, what it
 * compares the subject with. Generic frames: only glossary names are filled in.
 */
export function yesNoLead(plan: AnswerPlan, language: 'zh' | 'en'): string {
  const [subject] = plan.topics;
  if (plan.comparedWith && !plan.verdict) {
    if (language === 'zh')
      return subject
        ? `文章没有做这个比较；它比较的是${quote(subject)}和${quote(plan.comparedWith)}：`
        : `文章没有做这个比较；它比较的是${quote(plan.comparedWith)}：`;
    return subject
      ? `The article does not make that comparison; it compares ${gloss(subject)} with ${gloss(plan.comparedWith)}:`
      : `The article does not make that comparison; it compares with ${gloss(plan.comparedWith)}:`;
  }
  // A Chinese verdict echoes the question's verb ("需要…吗？" → "不需要。"), as a Chinese speaker answers.
  if (language === 'zh' && plan.verdictWords && (plan.verdict === 'yes' || plan.verdict === 'no'))
    return `${plan.verdictWords[plan.verdict]}。文章是这样说的：`;
  return LEADS[language][plan.verdict ?? 'none'];
}
