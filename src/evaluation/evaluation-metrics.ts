import type { CaseOutcome } from './score-case.js';

/**
 * The figures of one group of cases. A figure is null when the group has no case it applies to (hit@k of
 * out-of-scope cases, both sides of a group without contrast cases, English prose of Chinese cases).
 */
export interface EvaluationFigures {
  readonly cases: number;
  readonly coveredCases: number;
  readonly hitAt1: number | null;
  readonly hitAt3: number | null;
  readonly meanReciprocalRank: number | null;
  /** Precise cited units over all cited units of in-corpus answers (sentence spans; passages where no spans). */
  readonly citationPrecision: number | null;
  /** Share of cited units that were sentence spans rather than whole passages. */
  readonly spanShare: number | null;
  /** Share of all cases whose covered/not-covered verdict is right. */
  readonly notCoveredAccuracy: number | null;
  /** Share of the out-of-scope cases that were answered as not covered. */
  readonly outOfScopeRecall: number | null;
  /** Share of the required sentences (over every in-corpus case) the answers hold. */
  readonly answerRecall: number | null;
  /** Share of contrast cases whose answer holds every side. */
  readonly bothSides: number | null;
  readonly contrastCases: number;
  /** Share of English in-corpus answers whose own prose is English. */
  readonly englishProse: number | null;
  readonly englishCases: number;
  /** The same, over the English cases where an expected passage has an English rendering (the issue's floor). */
  readonly englishProseRendered: number | null;
  readonly englishRenderedCases: number;
  /** Share of pinyin-typo cases whose answer names the correction it searched with ("did you mean"). */
  readonly typoCorrected: number | null;
  /** Median answer time of the evaluated turn, in milliseconds. */
  readonly medianAnswerMs: number | null;
}

export type FigureName = Exclude<
  keyof EvaluationFigures,
  'cases' | 'coveredCases' | 'contrastCases' | 'englishCases' | 'englishRenderedCases'
>;

const share = (count: number, total: number): number | null => (total === 0 ? null : count / total);

export function computeFigures(outcomes: readonly CaseOutcome[]): EvaluationFigures {
  const covered = outcomes.filter((outcome) => outcome.covered);
  const outOfScope = outcomes.filter((outcome) => !outcome.covered);
  const ranks = covered.map((outcome) => outcome.firstRelevantRank ?? Number.POSITIVE_INFINITY);
  const units = covered.reduce((sum, outcome) => sum + outcome.citationUnits, 0);
  const preciseUnits = covered.reduce((sum, outcome) => sum + outcome.preciseUnits, 0);
  const spanUnits = covered.filter((outcome) => outcome.spanLevel).reduce((sum, outcome) => sum + outcome.citationUnits, 0);
  const requirements = covered.flatMap((outcome) => outcome.requirements);
  const contrasts = covered.filter((outcome) => outcome.sides !== undefined);
  const english = covered.filter((outcome) => outcome.prose !== undefined);
  const rendered = english.filter((outcome) => outcome.prose?.rendered);
  const typos = outcomes.filter((outcome) => outcome.typoCorrected !== undefined);
  const times = outcomes.map((outcome) => outcome.answerMs).sort((a, b) => a - b);
  return {
    cases: outcomes.length,
    coveredCases: covered.length,
    hitAt1: share(ranks.filter((rank) => rank === 1).length, covered.length),
    hitAt3: share(ranks.filter((rank) => rank <= 3).length, covered.length),
    meanReciprocalRank: share(
      ranks.reduce((sum, rank) => sum + 1 / rank, 0),
      covered.length,
    ),
    citationPrecision: share(preciseUnits, units),
    spanShare: share(spanUnits, units),
    notCoveredAccuracy: share(outcomes.filter((outcome) => outcome.grounded === outcome.covered).length, outcomes.length),
    outOfScopeRecall: share(outOfScope.filter((outcome) => !outcome.grounded).length, outOfScope.length),
    answerRecall: share(requirements.filter((requirement) => requirement.heldBy !== undefined).length, requirements.length),
    bothSides: share(contrasts.filter((outcome) => outcome.sides?.every((side) => side.heldBy !== undefined)).length, contrasts.length),
    contrastCases: contrasts.length,
    englishProse: share(english.filter((outcome) => outcome.prose?.english).length, english.length),
    englishCases: english.length,
    englishProseRendered: share(rendered.filter((outcome) => outcome.prose?.english).length, rendered.length),
    englishRenderedCases: rendered.length,
    typoCorrected: share(typos.filter((outcome) => outcome.typoCorrected).length, typos.length),
    medianAnswerMs: times.length === 0 ? null : (times[Math.floor((times.length - 1) / 2)] as number),
  };
}

/** Whether an outcome is a miss worth listing: a wrong verdict, no relevant passage first, an imprecise citation, a missing sentence or side. */
export function missReasons(outcome: CaseOutcome): string[] {
  const reasons: string[] = [];
  if (outcome.error) reasons.push(`error: ${outcome.error}`);
  if (outcome.grounded !== outcome.covered) reasons.push(outcome.covered ? 'refused' : 'answered out of scope');
  if (outcome.covered && (outcome.firstRelevantRank ?? Number.POSITIVE_INFINITY) > 1)
    reasons.push(`rank ${outcome.firstRelevantRank ?? '-'}`);
  if (outcome.covered && outcome.preciseUnits < outcome.citationUnits)
    reasons.push(`cited ${outcome.preciseUnits}/${outcome.citationUnits} precise`);
  const missing = outcome.requirements.filter((requirement) => requirement.heldBy === undefined);
  if (outcome.covered && outcome.grounded && missing.length > 0)
    reasons.push(`missing ${missing.map((requirement) => `「${requirement.phrases[0]}」`).join(' ')}`);
  const missingSide = outcome.sides?.findIndex((side) => side.heldBy === undefined) ?? -1;
  if (missingSide >= 0) reasons.push(`side ${missingSide + 1} missing`);
  if (outcome.prose && !outcome.prose.english)
    reasons.push(`prose not English (${outcome.prose.latinLetters} Latin, ${outcome.prose.cjkCharacters} CJK)`);
  return reasons;
}
