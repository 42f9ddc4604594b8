import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { askedBeyondTheText } from '../../src/retrieval/beyond-the-text.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * Questions that share the article's words but are about something else: a name jieba only guesses (a person, a
 * technique the article never names), a model in another sense (a model plane), the thing a choice or a "best" is asked
 * of (an optimizer), a request for books. Each is refused; the in-scope neighbour next to it is still answered.
 */
describe('coverage of names, other senses and requests beyond the article', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  it.each([
    // Names jieba's dictionary does not hold, only guessed: a person, a technique.
    ['李宏毅怎么看微调？'],
    ['早停能防止过拟合吗？'],
    // A guessed name as the subject of a view (说, 认为): the article reports no one's view.
    ['吴恩达说微调有用吗？'],
    // A noun before 模型 gives it another sense.
    ['飞机模型需要微调吗？'],
    ['手机模型怎么拼？'],
    // The same when jieba's dictionary holds the compound whole: a car's model, a model plane.
    ['汽车模型用什么胶水粘比较牢？'],
    ['模型飞机怎么组装？'],
    // CC-CEDICT glosses 模特 "(fashion) model": a sense of another field, no bridge to the article's 模型.
    ['模特需要什么样的训练？'],
    // The thing a "best" or a choice is asked of.
    ['What is the best optimizer for fine-tuning?'],
    ['Which optimizer is best for fine-tuning?'],
    // A technique the article never names as the subject of a how question, or a name written capitalised in Chinese.
    ['How does knowledge distillation compress a model?'],
    ['强化学习中的Q-learning是什么？'],
    ['What is the learning rate warmup?'],
    ['微调能消除模型的偏见吗？'],
    // Two specific words side by side that nothing reaches: a term of the field the article never names.
    ['微调的时候学习率用余弦退火好不好？'],
    // What a choice is asked of, the modifier of its noun phrase included; the learner's own thing, however short.
    ['Which scale model kits are good for beginners?'],
    ['How can I be a good role model for my kids?'],
    // Books and courses to read.
    ['推荐几本机器学习的书。'],
    ['Can you recommend some books on machine learning?'],
    // An attribute of an article term the article never speaks of, as the subject of the clause.
    ['预训练模型的版权归谁？'],
    ['神经网络的激活函数有哪些？'],
    // The kind of thing asked to be named (a tool, software), however common the noun.
    ['情感分析用什么工具最好？'],
    ['翻译软件哪个好用？'],
    // Where to get something: sources outside the text.
    ['训练数据从哪里找？'],
    ['Where can I find a pre-trained model to download?'],
    // How to get better at the analogy's cooking, in the analogy's own words.
    ['烹饪技巧怎么提高？'],
    ['How can I improve my cooking skills?'],
  ])('says %s is not covered', async (question) => {
    expect((await fixture.runtime.passageSearch.search(question)).covered).toBe(false);
  });

  it.each([
    ['改学习率属于微调还是调教？'],
    ['从时间和资源来看，应用和微调各有什么特点？'],
    ['大模型为什么要微调？'],
    ['语言模型怎么微调？'],
    ['深度学习模型怎么微调？'],
    ['大语言模型需要微调吗？'],
    // jieba cuts 调大调小 as 调 / 大调 ("major key") / 小: a word across a repeated verb names nothing.
    ['学习率调大调小属于调教吗'],
    ['作者认为微调和调教有什么区别？'],
    ['老师说微调就是调参，对吗？'],
    ['Which word is more accurate for large models?'],
    ['Which method works better for a new task?'],
    // A hyphenated word that describes (of general words, or with function words in it) names no concept of its own.
    ['How do off-the-shelf models make predictions?'],
    ['How do general-purpose models become task-specific?'],
    ['How does fine-tuning change a model?'],
    ['What is a typical fine-tuning task?'],
    ['微调对模型的影响？'],
    ['模型应用的局限？'],
    ['How do seasonings map onto model parameters?'],
    // Frame nouns after 什么 / 哪些 name no kind of thing; a predicate may follow 哪个; the text's own story has places.
    ['微调有哪些步骤？'],
    ['调教的时候一般调些什么东西？'],
    ['模型应用跟微调比，哪个更费时间？'],
    ['什么叫做人工干预？'],
    ['预训练模型的知识从哪里来？'],
    ['微调在哪个阶段做？'],
    // Improving what the article speaks of, and the analogy asked for as such.
    ['微调效果怎么提高？'],
    ['比方里的厨师怎么把菜调得更好吃？'],
  ])('still covers %s', async (question) => {
    expect((await fixture.runtime.passageSearch.search(question)).covered).toBe(true);
  });

  it('reads a request for reading only with a resource word, not a recommendation of a term', () => {
    expect(askedBeyondTheText('有哪些好的教材？', '')).toBeDefined();
    expect(askedBeyondTheText('有没有讲微调的好课程？', '')).toBeDefined();
    expect(askedBeyondTheText('微调的效果好吗？', '')).toBeUndefined();
    expect(askedBeyondTheText('微调需要准备什么资料？', '')).toBeUndefined();
    expect(askedBeyondTheText('Are there any good tutorials?', '')).toBeDefined();
    expect(askedBeyondTheText('推荐用微调还是调教？', '')).toBeUndefined();
    expect(askedBeyondTheText('Which term would you recommend for this?', '')).toBeUndefined();
  });
});
