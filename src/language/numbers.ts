// Numbers in questions: how many rows to show ("top 10", "which 5 customers") and comparisons
// ("more than 5", "over $100", "between 10 and 20"). Matched phrases are blanked so the words
// left are linked to the schema.

export interface Comparison {
  op: '>' | '>=' | '<' | '<=' | '=' | 'between';
  value: number | [number, number];
  /** Character offset where the phrase starts, to find the column it is about. */
  at: number;
  /** A currency sign was written: the column is money. */
  money: boolean;
  /** Words after the number ("5 orders"), when they name what is compared. */
  after: string;
  text: string;
}

export interface NumberReading {
  limit?: number;
  comparisons: Comparison[];
  rest: string;
}

const AMOUNT = '([$€£]?)\\s?(\\d+(?:[.,]\\d+)*)(k|m|bn)?';
// "no more than" before "more than": the longer phrase decides.
const OPS: [RegExp, Comparison['op']][] = [
  [/\b(?:at least|no less than|no fewer than|not less than|minimum of|>=)\s*$/, '>='],
  [/\b(?:at most|no more than|not more than|up to|maximum of|<=)\s*$/, '<='],
  [/\b(?:more than|greater than|over|above|exceeding|bigger than|larger than|higher than|>)\s*$/, '>'],
  [/\b(?:less than|fewer than|under|below|smaller than|lower than|cheaper than|<)\s*$/, '<'],
  [/\b(?:exactly|equal to|equals|=)\s*$/, '='],
];

/** A currency named in words after an amount. */
const CURRENCY_AFTER = /^\s*(?:dollars?|usd|euros?|eur|pounds?|gbp|bucks)\b/i;

function amount(n: string, suffix?: string): number {
  const v = Number(n.replace(/,/g, ''));
  const mult = suffix === 'k' ? 1e3 : suffix === 'm' ? 1e6 : suffix === 'bn' ? 1e9 : 1;
  return v * mult;
}

function blankRange(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}

export function readNumbers(text: string): NumberReading {
  let rest = text;
  const comparisons: Comparison[] = [];
  const between = new RegExp(`\\bbetween\\s+${AMOUNT}\\s+and\\s+${AMOUNT}`, 'g');
  for (const m of rest.matchAll(between)) {
    comparisons.push({
      op: 'between',
      value: [amount(m[2]!, m[3]), amount(m[5]!, m[6])],
      at: m.index,
      money: Boolean(m[1] || m[4]),
      after: rest
        .slice(m.index + m[0].length)
        .trim()
        .split(/\s+/)
        .slice(0, 2)
        .join(' '),
      text: m[0],
    });
    rest = blankRange(rest, m.index, m.index + m[0].length);
  }
  for (const m of rest.matchAll(new RegExp(AMOUNT, 'g'))) {
    const before = rest.slice(0, m.index);
    const op = OPS.find(([re]) => re.test(before));
    if (!op) continue;
    const opMatch = op[0].exec(before)!;
    // "less than 10 dollars": the currency word is part of the amount.
    const currency = CURRENCY_AFTER.exec(rest.slice(m.index + m[0].length))?.[0] ?? '';
    const end = m.index + m[0].length + currency.length;
    comparisons.push({
      op: op[1],
      value: amount(m[2]!, m[3]),
      at: opMatch.index,
      money: Boolean(m[1] || currency),
      after: rest.slice(end).trim().split(/\s+/).slice(0, 2).join(' '),
      text: before.slice(opMatch.index) + m[0] + currency,
    });
    rest = blankRange(rest, opMatch.index, end);
  }
  let limit: number | undefined;
  // "top 10", "which 5", and any superlative next to a number: "cheapest 3", "3 newest",
  // "most expensive 4".
  const top =
    /\b(?:top|bottom|best|worst|first|last|largest|biggest|smallest|highest|lowest|[a-z]{2,}est|(?:most|least)\s+[a-z]+)\s+(\d{1,4})\b|\b(?:which|what|the|show|list|give me)\s+(\d{1,4})\b|\b(\d{1,4})\s+(?:[a-z]{2,}est|most|least)\b/.exec(
      rest,
    );
  if (top) {
    limit = Number(top[1] ?? top[2] ?? top[3]);
    const numAt = top.index + top[0].lastIndexOf(String(limit));
    rest = blankRange(rest, numAt, numAt + String(limit).length);
  }
  return { limit, comparisons, rest };
}
