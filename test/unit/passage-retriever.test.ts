import type { Document } from '@langchain/core/documents';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnableLambda, RunnablePassthrough, RunnableSequence } from '@langchain/core/runnables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassageRetriever } from '../../src/retrieval/passage-retriever.js';
import { createTestRuntime } from '../support/test-runtime.js';

describe('the hybrid search as a LangChain retriever', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  it('returns the passages hybrid search finds, as documents with their ids and evidence', async () => {
    const question = '炖牛肉的秘方是什么？';
    const documents = await (await fixture.runtime.createRetriever()).invoke(question);
    const searched = await fixture.runtime.passageSearch.search(question, { k: fixture.config.retrieval.topK });
    expect(documents.map((document) => document.metadata.chunkId)).toEqual(searched.passages.map((passage) => passage.chunk.chunkId));
    expect(documents[0]!.pageContent).toContain('炖牛肉的秘方');
    expect(documents[0]!.id).toBe(documents[0]!.metadata.chunkId);
    expect(documents[0]!.metadata.score).toBeGreaterThan(0);
    expect(documents[0]!.metadata.title.length).toBeGreaterThan(0);
  });

  it('returns no documents for a question the article does not cover', async () => {
    expect(await (await fixture.runtime.createRetriever()).invoke('What is the capital of France?')).toEqual([]);
  });

  it('feeds a LangChain chain: retriever → context → prompt', async () => {
    const retriever = new PassageRetriever({ passageSearch: fixture.runtime.passageSearch, k: 2 });
    const joinPassages = RunnableLambda.from((documents: Document[]) =>
      documents.map((document, index) => `[${index + 1}] ${document.pageContent}`).join('\n'),
    );
    const prompt = ChatPromptTemplate.fromMessages([
      ['system', 'Answer only from these passages:\n{context}'],
      ['human', '{question}'],
    ]);
    const chain = RunnableSequence.from([{ context: retriever.pipe(joinPassages), question: new RunnablePassthrough() }, prompt]);
    const value = await chain.invoke('模型应用时会更新权重吗');
    const [system, human] = value.toChatMessages();
    expect(String(system!.content)).toContain('[1] ');
    expect(String(system!.content)).toContain('模型不更新权重');
    expect(String(system!.content)).not.toContain('[3] ');
    expect(human!.content).toBe('模型应用时会更新权重吗');
  });
});
