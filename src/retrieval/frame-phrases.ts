/**
 * Phrases that frame a question and name nothing it asks about ("In plain words, what is…", "in simple terms", "in
 * other words", "in a nutshell", "说白了", "通俗地讲", "简单来说"): their words ("word", "term") are the article's own
 * words elsewhere ("the word tuning is broader"), so the phrase goes as a whole before the question is cut. So do the
 * frames that ask for the whole story or the good and the bad of it ("怎么一回事", "在…这件事上", "这个说法", "pros and
 * cons"): the answer plans read what they ask from the question itself; as search words ("pro", "con", 回事) they
 * named concepts no passage has, and an honest question was refused.
 */
const FRAME_PHRASES =
  /\b(?:in|put|say it|explain it|tell me)\s+(?:plain|simple|simpler|easy|everyday|layman'?s?|other)\s+(?:words?|terms?|english|language)\b|\bin a nutshell\b|\b(?:pros and cons|advantages and disadvantages|upsides and downsides|strengths and weaknesses)\b|通俗(?:地|一点|点)?(?:讲|说|来说|地说)?|简单(?:地)?(?:来说|地说|说|讲)|说白了|大白话|怎么(?:一)?回事|这(?:件|个)事(?:情)?上?|这个说法|这种说法/gi;

/**
 * A question that asks for the short version ("basically", "in plain words", "in a nutshell", "put simply", "in one
 * sentence", "说白了", "简单来说", "通俗地讲", "一句话"): a definition so asked wants the one plain defining sentence, not the whole passage.
 */
export const ASKS_PLAINLY =
  /\bbasically\b|\bbriefly\b|\b(?:put|said) simply\b|\bsimply put\b|\bin (?:one|a single) (?:line|sentence)\b|一句话|\bessentially\b|\bin (?:plain|simple|everyday|layman'?s?) (?:words?|terms?|english|language)\b|\bin a nutshell\b|\bin short\b|说白了|简单(?:地)?(?:来说|地说|说|讲)|通俗(?:地|一点|点)?(?:讲|说|来说|地说)|大白话/i;

/** The question without its frame phrases (see FRAME_PHRASES), each replaced by a space. */
export function withoutFramePhrases(question: string): string {
  return question.replace(FRAME_PHRASES, ' ');
}
