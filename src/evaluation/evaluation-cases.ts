import { readFile } from 'node:fs/promises';
import { z } from 'zod';

const caseSchema = z.object({
  id: z.string().min(1),
  language: z.enum(['zh', 'en']),
  /** The learner's questions in order; the last one is evaluated, the earlier ones are context. */
  turns: z.array(z.string().min(1)).min(1),
  covered: z.boolean(),
  /** Verbatim corpus substrings; a passage containing any of them is relevant to the last turn. */
  expect: z.array(z.string().min(2)),
});

export type EvaluationCase = z.infer<typeof caseSchema>;

export async function loadEvaluationCases(filePath: string): Promise<EvaluationCase[]> {
  const parsed = z.object({ cases: z.array(caseSchema).min(1) }).parse(JSON.parse(await readFile(filePath, 'utf8')));
  return parsed.cases;
}
