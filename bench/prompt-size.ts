// The LLM planner's prompt size and build time on generated company schemas of growing size
// (the demo shop's tables among many look-alikes), for a few questions; counted with the
// o200k_base tokenizer. The first build also pays for loading the tokenizer, reported apart.
//   node --import tsx bench/prompt-size.ts [sizes=10,100,1000,2000] [repeats=20]
import { performance } from 'node:perf_hooks';
import { linkSchema } from '../src/pipeline/llm/linkSchema.ts';
import { buildPrompt } from '../src/pipeline/llm/prompt.ts';
import { answerTool } from '../src/pipeline/llm/replyShape.ts';
import { countTokens } from '../src/pipeline/llm/tokens.ts';
import { generatedSchema } from '../test/fixtures/generatedSchema.ts';

const sizes = (process.argv[2] ?? '10,100,1000,2000').split(',').map(Number);
const repeats = Number(process.argv[3] ?? 20);

const QUESTIONS = [
  'Sales by product category last month',
  'Total quantity sold to customers in Germany',
  'Which product categories sold in two consecutive months?',
  'How many open support tickets per vendor?',
];

const loadStart = performance.now();
const toolTokens = countTokens(JSON.stringify(answerTool()));
console.log(
  `tokenizer load: ${(performance.now() - loadStart).toFixed(0)} ms; tool definition: ${toolTokens} tokens`,
);
console.log('| tables | question | prompt tokens | tables shown | build ms (median) |');
console.log('|---:|---|---:|---:|---:|');
for (const size of sizes) {
  const schema = generatedSchema(Math.max(size, 4));
  // The first question on a schema builds its lexicon and join graph; timed on its own.
  const first = performance.now();
  linkSchema(schema, { question: QUESTIONS[0]!, maxTokens: 2000 });
  console.log(
    `| ${schema.tables.length} | (first use: lexicon and graph) | | | ${(performance.now() - first).toFixed(1)} |`,
  );
  for (const question of QUESTIONS) {
    const times: number[] = [];
    let prompt = buildPrompt({ question, schema });
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      prompt = buildPrompt({ question, schema });
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    console.log(
      `| ${schema.tables.length} | ${question} | ${prompt.tokens} | ${prompt.tables.length} | ${median.toFixed(1)} |`,
    );
  }
}
