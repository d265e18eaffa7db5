import { titleFrom } from '../render/chartContext.ts';

// A panel's title from the question it answers, without the asking: "What were our top
// selling products last week?" → "Top selling products last week", "Break down last month's
// sales by product category" → "Last month's sales by product category".

const ASKING = [
  /^(?:so\s+|and\s+|ok(?:ay)?,?\s+)?/i,
  /^(?:please\s+)?(?:can|could|would)\s+you\s+(?:please\s+)?/i,
  /^(?:what|which)(?:'s|\s+is|\s+are|\s+was|\s+were)\s+(?:the\s+|our\s+|my\s+)?/i,
  /^(?:break\s*down|split|tell\s+me|let\s+me\s+see|i\s+(?:want|need)\s+(?:to\s+see\s+)?)\s+/i,
];

export function panelTitle(question: string): string {
  let text = question.trim().replace(/[?.!]+$/, '');
  for (const pattern of ASKING) text = text.replace(pattern, '');
  return titleFrom(text || question);
}
