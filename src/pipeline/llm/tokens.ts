import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';

// Prompt sizes are measured with a real tokenizer (o200k_base, the GPT-4o family's), so the
// schema can be cut to fit a budget. Other models tokenize differently but within a few
// percent on this kind of text; the budget keeps a margin for that.

let encoder: Tiktoken | undefined;

export function countTokens(text: string): number {
  encoder ??= new Tiktoken(o200kBase);
  return encoder.encode(text).length;
}
