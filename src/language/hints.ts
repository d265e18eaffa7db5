// A question may carry its own definitions or hints after it: "… Note: revenue means completed
// orders only", "(use the transactions table)". They are split off and honoured.

export interface Definition {
  /** The term being defined, lower case ("revenue"). */
  term: string;
  /** What it means, in words the planner links to the schema ("completed orders only"). */
  meaning: string;
  /** Where it came from, for the assumption shown to the user. */
  source: 'question' | 'team';
}

export interface QuestionHints {
  question: string;
  definitions: Definition[];
  /** Tables the asker pointed at ("use the transactions table"). */
  preferTables: string[];
}

const HINT_START =
  /(?:^|[.;!?()]\s*|\s[-–—]\s*)(?:note|hint|assume|assuming|fyi|ps|where|context)\s*[:,-]\s*/i;
const DEFINITION =
  /^\s*(?:by\s+)?["']?([\p{L}][\p{L}\s]{0,40}?)["']?\s+(?:means|is defined as|refers to|=|should mean|counts?)\s+(.+)$/iu;
const USE_TABLE = /\b(?:use|using|from|in)\s+(?:the\s+)?["'`]?([\w.]+)["'`]?\s+table\b/i;

export function splitHints(text: string): QuestionHints {
  const definitions: Definition[] = [];
  const preferTables: string[] = [];
  let question = text.trim();
  const start = HINT_START.exec(question);
  let hintText = '';
  if (start && start.index > 0) {
    hintText = question.slice(start.index + start[0].length);
    question = question.slice(0, start.index).trim();
  }
  // A trailing parenthesis is a hint too: "… (use the payments table)".
  const paren = /\(([^)]*)\)\s*[.?!]?\s*$/.exec(question);
  if (paren && (USE_TABLE.test(paren[1]!) || DEFINITION.test(paren[1]!))) {
    hintText = `${paren[1]}. ${hintText}`;
    question = question.slice(0, paren.index).trim();
  }
  for (const sentence of hintText
    .split(/[.;\n]+/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const table = USE_TABLE.exec(sentence);
    if (table) preferTables.push(table[1]!.toLowerCase());
    const def = DEFINITION.exec(sentence);
    if (def)
      definitions.push({ term: def[1]!.trim().toLowerCase(), meaning: def[2]!.trim(), source: 'question' });
  }
  return { question, definitions, preferTables };
}
