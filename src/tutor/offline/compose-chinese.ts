import type { GlossaryTerm } from '../../ingest/glossary.js';
import { isListLine, joinTold, type LaidOutBlock, type MarkedGroup, markerOf } from './answer-layout.js';
import type { AnswerPlan } from './plan-types.js';
import { opensWith, prose, statementOf } from './sentence-evidence.js';
import { yesNoLead } from './yes-no-frames.js';

const quote = (term: GlossaryTerm): string => `「${term.zh}」`;

/** What the article does not state, when a risk, reason or example was asked for and none is in reach. */
const UNMET_ZH: Partial<Record<AnswerPlan['kind'], string>> = {
  risk: '文章没有直接讲到风险或局限',
  reason: '文章没有直接给出理由',
  example: '文章没有直接举例',
};

/** The opening line of a Chinese answer: a generic frame for the plan's kind, naming the question's topics. */
function leadFor(plan: AnswerPlan, blocks: readonly LaidOutBlock[]): string {
  const named = plan.topics.slice(0, 2).map(quote);
  const about = named.length > 0 ? `关于${named.join('和')}，` : '';
  // A term the article names without defining it.
  if (plan.unmet && plan.kind === 'definition' && named[0])
    return `文章没有专门给${named[0]}下定义，${plan.within ? `在讲${quote(plan.within)}时提到了它：` : '提到它的地方是这样说的：'}`;
  if (plan.unmet)
    return `${UNMET_ZH[plan.kind] ?? '文章没有直接回答这个问题'}${named.length > 0 ? `；关于${named.join('和')}，` : '；'}文章是这样说的：`;
  if (plan.unpaired && named.length >= 2) return `文章没有直接比较${named[0]}和${named[1]}，分别讲到：`;
  switch (plan.kind) {
    case 'simpler':
      return named.length > 0 ? `简单来说，${named.join('和')}：` : '简单来说：';
    case 'difference':
      if (plan.sameness && named.length >= 2) return `${named[0]}和${named[1]}不是一回事，文章分别这样讲：`;
      return named.length >= 2 ? `${named[0]}和${named[1]}的区别，文章分别这样讲：` : `${about}文章讲到的区别是：`;
    case 'aspect': {
      const heading = blocks[0]?.groups[0]?.sentences[0]?.chunk.headingPath.at(-1)?.replace(/^\d+[.)、]\s*/, '');
      const on = heading ? `在「${heading}」上，` : '';
      if (named.length < 2) return `${on}文章是这样讲的：`;
      return plan.shared ? `${named[0]}和${named[1]}的共同点，文章是这样讲的：` : `${on}${named[0]}和${named[1]}的不同是：`;
    }
    case 'definition':
      return named.length > 0 ? `${named[0]}是什么？文章的说法是：` : '文章的说法是：';
    case 'example':
      return named.length > 0 ? `文章用这个例子来说明${named[0]}：` : '文章举的例子是：';
    case 'analogy':
      return named.length > 0 ? `文章用这个比喻来说明${named.join('和')}：` : '文章的比喻是这样的：';
    case 'reason':
      return `${about}文章给出的理由是：`;
    case 'risk':
      return `${about}文章提到的局限和风险是：`;
    case 'how':
      return `${about}文章是这样讲的：`;
    case 'which':
      return `${about}文章的建议是：`;
    case 'summary':
      return `${about}文章自己的总结是：`;
    case 'yesno':
      return yesNoLead(plan, 'zh');
    default:
      return named.length > 0 ? `关于${named.join('和')}，文章是这样说的：` : '文章中与这个问题相关的内容是：';
  }
}

/** Sentences of a group in the article's words (its list lines as list items), then the group's marker. */
export function chineseGroup(group: MarkedGroup): string {
  const text = joinTold(
    group.sentences.map((sentence) => ({ text: prose(sentence.text), listed: isListLine(sentence.text) })),
    '',
  );
  return `${text}${markerOf(group)}`;
}

/** The groups of a block, one after another; a group that opens with a list line starts a line of its own. */
function chineseGroups(groups: readonly MarkedGroup[]): string {
  return groups
    .map((group, index) => {
      const text = chineseGroup(group);
      const previous = groups[index - 1];
      const startsList = group.sentences[0] !== undefined && isListLine(group.sentences[0].text);
      const endsList = previous?.sentences.at(-1) !== undefined && isListLine((previous.sentences.at(-1) as { text: string }).text);
      return index > 0 && (startsList || endsList) ? `\n${text}` : text;
    })
    .join('');
}

function blockFrame(block: LaidOutBlock, plan: AnswerPlan): string {
  const first = block.groups[0]?.sentences[0];
  switch (block.role) {
    case 'side':
      // A lead-in joined with its sentence ("在机器学习中,…类似:微调通常指的是…") names the side where its statement opens.
      if (!block.topic || !first || opensWith(first, block.topic.zh) || opensWith({ ...first, text: statementOf(first) }, block.topic.zh))
        return '';
      return isListLine(first.text) ? `${quote(block.topic)}：\n` : `${quote(block.topic)}：`;
    case 'summary':
      return plan.kind === 'summary' ? '' : '文章的总结：\n';
    case 'context':
      return '这个例子说明的是：';
    default:
      return '';
  }
}

/** A Chinese answer: the lead, then each block (its frame, its sentences with their markers), a paragraph each. */
export function composeChinese(plan: AnswerPlan, blocks: readonly LaidOutBlock[]): string {
  const paragraphs = blocks.map((block) => `${blockFrame(block, plan)}${chineseGroups(block.groups)}`);
  const silent = (plan.silent ?? []).map((term) => `至于${quote(term)}，文章没有讲到这一点。`);
  return `${leadFor(plan, blocks)}\n\n${[...paragraphs, ...silent].join('\n\n')}`;
}
