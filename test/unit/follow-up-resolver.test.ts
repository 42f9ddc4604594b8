import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGlossary } from '../../src/ingest/glossary.js';
import { createTextAnalyzer } from '../../src/retrieval/text-analyzer.js';
import { createFollowUpResolver, type StandaloneQueryResolver } from '../../src/tutor/follow-up-resolver.js';
import type { ConversationTurn } from '../../src/tutor/tutor-types.js';
import { shippedCorpusDir } from '../support/test-runtime.js';

let resolve: StandaloneQueryResolver;

beforeAll(async () => {
  const analyzer = createTextAnalyzer({ glossary: await loadGlossary(path.join(shippedCorpusDir, 'glossary.json')) });
  resolve = createFollowUpResolver({ analyzer });
});

/** Resolves each question of a conversation against the turns before it, as the answerers do; returns every query. */
function converse(...questions: string[]): string[] {
  const history: ConversationTurn[] = [];
  return questions.map((question) => {
    const searchedFor = resolve(question, history);
    history.push({ question, searchedFor, answer: '', citedChunkIds: [], language: /[\u4e00-\u9fff]/.test(question) ? 'zh' : 'en' });
    return searchedFor;
  });
}

describe('follow-up resolver', () => {
  it('answers a question that names its own topic as asked, pronoun or not', () => {
    const [, second, third] = converse(
      'What is fine-tuning?',
      'How is using a pretrained model different from fine-tuning it?',
      'Why is it called fine-tuning?',
    );
    expect(second).toBe('How is using a pretrained model different from fine-tuning it?');
    expect(third).toBe('Why is it called fine-tuning?');
  });

  it('resolves a Chinese three-turn conversation: a new topic, then an elliptical request', () => {
    expect(converse('微调是什么？', '那调教呢？', '举个例子')).toEqual(['微调是什么？', '调教是什么？', '举个例子（调教）']);
  });

  it('keeps the topic when the follow-up names a context, across three turns', () => {
    const [, second, third] = converse('What is fine-tuning?', 'What about tuning?', 'And in the cooking analogy?');
    expect(second).toBe('What is tuning?');
    expect(third).toBe('And in the cooking analogy? (tuning)');
  });

  it('puts the topic in place of a pronoun', () => {
    const [, second, third] = converse('What does tuning mean in this article?', 'Can you give me an example of it?', 'Why?');
    expect(second).toBe('Can you give me an example of tuning?');
    expect(third).toBe('Why? (tuning)');
    expect(converse('微调是什么？', '它和预训练模型有什么区别？')[1]).toBe('微调和预训练模型有什么区别？');
  });

  it('reads a dummy "it" (it costs … to, is it possible to) as no reference, and a real one beside it as one', () => {
    expect(converse('What is fine-tuning?', 'How much does it cost to train GPT-4?')[1]).toBe('How much does it cost to train GPT-4?');
    expect(converse('What is fine-tuning?', 'Is it possible to do it on a laptop?')[1]).toBe(
      'Is it possible to do fine-tuning on a laptop?',
    );
    expect(converse('What is fine-tuning?', 'How long does it take?')[1]).toBe('How long does fine-tuning take?');
  });

  it('treats a Chinese context phrase as context, not a new topic', () => {
    // The third turn keeps both: the topic and the context the second turn put it in.
    expect(converse('调教是什么？', '在烹饪的例子里呢？', '为什么？')).toEqual([
      '调教是什么？',
      '在烹饪的例子里呢？（调教）',
      '为什么？（调教、烹饪）',
    ]);
  });

  it('leaves a new question with words of its own alone', () => {
    expect(converse('What is fine-tuning?', 'What will the weather be like in Paris tomorrow?')[1]).toBe(
      'What will the weather be like in Paris tomorrow?',
    );
    expect(converse('微调是什么？', '模型应用和微调有哪些共性？')[1]).toBe('模型应用和微调有哪些共性？');
  });
});

describe('follow-up pronouns after a question on two topics', () => {
  it('reads a singular pronoun as the topic the previous question was about first, across three turns', () => {
    expect(converse('模型应用和微调有哪些共性？', '那它需要很多显卡吗？')[1]).toBe('那模型应用需要很多显卡吗？');
    expect(converse('模型应用是什么？', '它和微调有什么区别？', '那它需要很多显卡吗？')).toEqual([
      '模型应用是什么？',
      '模型应用和微调有什么区别？',
      '那模型应用需要很多显卡吗？',
    ]);
    expect(converse('What is model application?', 'How is it different from fine-tuning?', 'Does it need many GPUs?')[2]).toBe(
      'Does model application need many GPUs?',
    );
  });

  it('reads a plural pronoun or a choice as both topics', () => {
    expect(converse('微调和调教有什么区别？', '它们需要很多显卡吗？')[1]).toBe('微调和调教需要很多显卡吗？');
    expect(converse('微调和调教有什么区别？', '哪个范围更大？')[1]).toBe('哪个范围更大？（微调、调教）');
  });

  it('keeps the previous topic for a follow-up that opens with its predicate', () => {
    expect(converse('微调会不会过拟合？', '那要看哪些因素？')[1]).toContain('微调');
    expect(converse('调教是什么？', '那会有什么影响？')[1]).toContain('调教');
    expect(converse('微调是什么？', '那红烧肉具体怎么做？')[1]).toBe('那红烧肉具体怎么做？');
  });

  it('leaves "那…呢" alone when its own words are none of the article’s and nothing points back', () => {
    expect(converse('微调是什么？', '那明天上海的天气呢？')[1]).toBe('那明天上海的天气呢？');
  });
});

/** Conversations and the query their last turn must search for, by the way the last turn points back. */
const POINTING_BACK: readonly (readonly [string, readonly string[], string])[] = [
  ['前者 is the first topic named before', ['模型应用和微调有什么区别？', '前者会更新权重吗？'], '模型应用会更新权重吗？'],
  ['后者 is the second', ['模型应用和微调哪个更快？', '后者有什么风险？'], '微调有什么风险？'],
  // 哪个 asks between the two sides; a term it names besides is the respect asked about, not a new side.
  [
    '那哪个 asks between the two sides',
    ['调教跟微调到底差在哪儿？', '那哪个需要的计算资源更多？'],
    '那哪个需要的计算资源更多？（调教、微调）',
  ],
  [
    'which one asks between the two sides',
    ['How do tuning and fine-tuning differ?', 'Which one needs more computing resources?'],
    'Which one needs more computing resources? (tuning, fine-tuning)',
  ],
  [
    'the latter is the second',
    ['What is the difference between model application and fine-tuning?', "Can the latter change the model's structure?"],
    "Can fine-tuning change the model's structure?",
  ],
  [
    'the former is the first word, not one inside another',
    ['How do fine-tuning and tuning differ?', 'Is the former a kind of training?'],
    'Is fine-tuning a kind of training?',
  ],
  [
    '另一个 is the other side of the earlier comparison',
    ['模型应用和微调有什么区别？', '前者的效果取决于什么？', '那另一个呢？'],
    '微调的效果取决于什么？',
  ],
  [
    'the other one, three turns on',
    ['How do model application and fine-tuning differ?', 'Does the first one update the weights?', 'What about the other one?'],
    'Does fine-tuning update the weights?',
  ],
  [
    'a new subject keeps the aspect',
    ["Does model application update the model's weights?", 'What about fine-tuning?'],
    "Does fine-tuning update the model's weights?",
  ],
  ['那X呢 keeps the aspect', ['微调需要多长时间？', '那模型应用呢？'], '模型应用需要多长时间？'],
  [
    '"and for B?" keeps the kind',
    ['Can you give me an example of fine-tuning?', 'And for tuning?'],
    'Can you give me an example of tuning?',
  ],
  ['那X呢 keeps the kind', ['调教有什么例子？', '那微调呢？'], '微调有什么例子？'],
  [
    'the analogy stays a context',
    ['What is tuning?', 'How does the cooking analogy describe it?', 'And fine-tuning?'],
    'How does the cooking analogy describe fine-tuning?',
  ],
  ['这种方法 is the previous topic', ['什么是模型应用？', '这种方法的效果取决于什么？'], '模型应用的效果取决于什么？'],
  ['this approach is the previous topic', ['What is fine-tuning?', 'Does this approach need a GPU?'], 'Does fine-tuning need a GPU?'],
  ['a challenge', ['Does fine-tuning work better?', 'Is that always true?'], 'Is that always true? (Does fine-tuning work better)'],
  ['一定是这样吗 gets the whole claim', ['微调的效果比模型应用好吗？', '一定是这样吗？'], '一定是这样吗？（微调的效果比模型应用好吗）'],
  ['再详细点 keeps the topic', ['微调是什么？', '再详细点'], '再详细点（微调）'],
  ['say more keeps the topic', ['What is tuning?', 'Can you say more?'], 'Can you say more? (tuning)'],
  ['a question naming its own topic stands, 它 or not', ['调教是什么？', '模型应用会更新它的权重吗？'], '模型应用会更新它的权重吗？'],
  ['that, compared', ['What is fine-tuning?', 'How is that different from tuning?'], 'How is fine-tuning different from tuning?'],
  ['a comparison naming one side', ['What is fine-tuning?', 'Is tuning the same thing?'], 'Is fine-tuning and tuning the same thing?'],
  ['这和X: the previous subject is 这', ['微调是什么？', '这和调教有什么不同？'], '微调和调教有什么不同？'],
  ['和X有什么区别 opens with its second side', ['调教是什么意思？', '和微调有什么区别？'], '调教和微调有什么区别？'],
  ['它们 with a new term of its own', ['模型应用和微调有什么共性？', '为什么它们都需要GPU？'], '为什么模型应用和微调都需要GPU？'],
  [
    'they with a new term of its own',
    ['What do model application and fine-tuning share?', 'Why do they need GPUs?'],
    'Why do model application and fine-tuning need GPUs?',
  ],
  [
    'which one after two one-topic turns',
    ['What is fine-tuning?', 'What about tuning?', 'Which one is broader?'],
    'Which one is broader? (fine-tuning, tuning)',
  ],
  [
    '跟X比 with an aspect: the other side is the previous subject',
    ['模型应用是什么？', '那跟微调比，哪个效果好？'],
    '模型应用跟微调比，哪个效果好？',
  ],
  ['a new subject with its own aspect stands', ['模型应用和微调有哪些共性？', '那微调要花多长时间？'], '那微调要花多长时间？'],
  ['两者 are the two subjects of the last turns', ['微调是什么？', '那调教呢？', '两者有什么区别？'], '微调和调教有什么区别？'],
  ['they, 3 turns', ['What is tuning?', 'And fine-tuning?', 'So how do they differ?'], 'So how do tuning and fine-tuning differ?'],
  [
    'a topic switch stands',
    ['What is tuning?', 'Can you give an example?', 'Now, what do model application and fine-tuning have in common?'],
    'Now, what do model application and fine-tuning have in common?',
  ],
];

describe('follow-ups that point back in other ways', () => {
  it.each(POINTING_BACK)('%s', (_, turns, expected) => {
    expect(converse(...turns).at(-1)).toBe(expected);
  });
});

/** Follow-ups that name a new subject and stand for the previous question's predicate (会这样吗, 也会吗, "does it too?"). */
const PREDICATE_CARRIED: readonly (readonly [string, readonly string[], string])[] = [
  [
    '会这样吗 after a why-question asks whether it holds',
    ['为什么微调会过拟合？', '那直接拿来用的模型会这样吗？'],
    '直接拿来用的模型会过拟合吗？',
  ],
  ['也会吗 with a glossary subject', ['为什么微调会过拟合？', '调教也会吗？'], '调教会过拟合吗？'],
  ['也会吗 after a yes/no question', ['微调会更新模型的权重吗？', '模型应用也会吗？'], '模型应用会更新模型的权重吗？'],
  ['也是这样吗', ['为什么模型应用更快？', '微调也是这样吗？'], '微调更快吗？'],
  ['"does it happen with X too?"', ['Why can fine-tuning overfit?', 'Does it happen with tuning too?'], 'Can tuning overfit?'],
  ['"does X too?"', ['Does fine-tuning need a GPU?', 'Does model application too?'], 'Does model application need a GPU?'],
  [
    '"does X do that too?"',
    ["Does fine-tuning change the model's parameters?", 'Does tuning do that too?'],
    "Does tuning change the model's parameters?",
  ],
  [
    '"what about X?" after a why-question',
    ['Why does fine-tuning take so long?', 'What about model application?'],
    'Does model application take so long?',
  ],
  ['a wh-question keeps its kind', ['微调有什么风险？', '模型应用也有吗？'], '模型应用有什么风险？'],
  ['over three turns', ['模型应用是什么？', '它需要GPU吗？', '那微调呢？'], '微调需要GPU吗？'],
  ['a verb with no subject takes the previous one', ['微调是什么？', '它会过拟合吗？', '取决于什么？'], '取决于什么？（微调、过拟合）'],
];

describe('follow-ups that carry the previous predicate', () => {
  it.each(PREDICATE_CARRIED)('%s', (_, turns, expected) => {
    expect(converse(...turns).at(-1)).toBe(expected);
  });

  it('answers a third turn that switches topic completely as asked', () => {
    expect(converse('为什么微调会过拟合？', '模型应用也会吗？', '调教可以通过强化学习实现吗？')).toEqual([
      '为什么微调会过拟合？',
      '模型应用会过拟合吗？',
      '调教可以通过强化学习实现吗？',
    ]);
  });

  it('does not read a pronoun, a challenge or the same subject as a new subject', () => {
    expect(converse('为什么微调会过拟合？', '它也会吗？')[1]).toBe('微调也会吗？');
    expect(converse('微调会过拟合吗？', '真的是这样吗？')[1]).toBe('真的是这样吗？（微调会过拟合吗）');
  });

  it('replaces the respect asked about, not the subjects, for "那在效果上呢？"', () => {
    const query = converse('模型应用和微调在训练过程上有什么不同？', '那在效果上呢？')[1] as string;
    expect(query).toContain('模型应用');
    expect(query).toContain('微调');
    expect(query).not.toContain('训练过程');
  });
});

describe('comparatives and refused turns', () => {
  it('reads a pronoun or a bare demonstrative before a comparative as the previous topic, the other side named', () => {
    expect(converse('What is model application?', 'Is it faster than fine-tuning?')[1]).toBe(
      'Is model application faster than fine-tuning?',
    );
    expect(converse('What is tuning?', 'Is it as broad as fine-tuning?')[1]).toBe('Is tuning as broad as fine-tuning?');
    expect(converse('模型应用是什么？', '它比微调更快吗？')[1]).toBe('模型应用比微调更快吗？');
    expect(converse('模型应用是什么？', '这个比微调快吗？')[1]).toBe('模型应用比微调快吗？');
    expect(converse('模型应用是什么？', '比微调快吗？')[1]).toBe('模型应用比微调快吗？');
    // 这个 before a noun is a determiner, not the previous topic; 比如 is no comparison.
    expect(converse('微调是什么？', '这个秘方是什么？')[1]).not.toContain('微调');
    expect(converse('微调是什么？', '比如呢？')[1]).toBe('比如呢？（微调）');
  });

  it('skips a refused turn: what follows it reads the last answered turn, or stands alone', () => {
    const refused = (question: string, searchedFor = question): ConversationTurn => ({
      question,
      searchedFor,
      answer: '',
      citedChunkIds: [],
      language: 'zh',
      grounded: false,
    });
    const answered: ConversationTurn = {
      question: '微调是什么？',
      searchedFor: '微调是什么？',
      answer: '',
      citedChunkIds: ['c'],
      language: 'zh',
    };
    expect(resolve('那调教呢？', [answered, refused('量子计算是什么？')])).toBe('调教是什么？');
    expect(resolve('它有什么风险？', [answered, refused('量子计算是什么？')])).toBe('微调有什么风险？');
    expect(resolve('它有什么风险？', [refused('量子计算是什么？')])).toBe('它有什么风险？');
  });

  it('gives a Chinese follow-up that opens with its predicate the previous subject, its terms being objects', () => {
    expect(converse('微调是什么？', '会不会过拟合？', '那调教呢？')).toEqual(['微调是什么？', '微调会不会过拟合？', '调教会不会过拟合？']);
    expect(converse('What is fine-tuning?', '需要很多GPU吗？')[1]).toBe('微调需要很多GPU吗？');
    expect(converse('微调和调教有什么区别？', '是不是都要调整参数？')[1]).toBe('微调和调教是不是都要调整参数？');
  });

  it('leaves a request to the tutor and a question naming the previous subject as asked', () => {
    expect(converse('什么是微调？', '能用比喻讲讲预训练模型吗？')[1]).toBe('能用比喻讲讲预训练模型吗？');
    expect(converse('什么是微调？', '会不会让微调过拟合？')[1]).toBe('会不会让微调过拟合？');
  });

  it('asks another aspect of both sides after a comparison, of the one subject otherwise', () => {
    expect(converse('微调比模型应用快吗？', '那效果呢？')[1]).toBe('那效果呢？（微调、模型应用）');
    expect(converse('微调需要多长时间？', '那效果呢？')[1]).toBe('那效果呢？（微调）');
  });
});
