import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestRuntime } from './test/support/test-runtime.js';

const plain = await mkdtemp(path.join(os.tmpdir(), 'plain-'));
await cp('corpus', plain, { recursive: true, filter: (s) => !s.endsWith('.en.md') });
for (const dir of [plain, 'corpus']) {
  const f = await createTestRuntime({ corpusDir: path.resolve(dir) });
  for (const q of process.argv.slice(2)) {
    console.log(dir, 'Q', q, f.runtime.analyzer.tokenizeQuery(q));
    const r = await f.runtime.passageSearch.searchWithEvidence(q, { k: 5 });
    for (const p of r.ranked)
      console.log(
        '  ',
        p.score.toFixed(4),
        p.vectorSimilarity?.toFixed(3),
        p.lexicalScore?.toFixed(2),
        p.chunk.text.slice(0, 40).replace(/\n/g, ' '),
      );
  }
  await f.dispose();
}
