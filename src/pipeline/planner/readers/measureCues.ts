import { PARTICIPLE } from '../../../language/vocabulary.ts';
import type { Interpretation } from '../interpretation.ts';
import type { Mention } from '../mentions.ts';
import { numericReadings, tableReading } from '../readings.ts';

// The words every measure reader weighs, read once: the aggregate, count, superlative, money
// and quantity words, and the tables named that no grouping took.

export interface MeasureCues {
  ms: Mention[];
  aggMention: Mention | undefined;
  agg: Mention['agg'];
  countMention: Mention | undefined;
  superlative: Mention | undefined;
  moneyMention: Mention | undefined;
  quantityMention: Mention | undefined;
  /** Entity tables named and not used as a grouping. */
  entityMentions: Mention[];
}

/** Reads the cues and takes the superlative and aggregate words they place. */
export function readMeasureCues(it: Interpretation, rankingTarget: Mention | undefined): MeasureCues {
  const ms = it.mentions;
  const aggMention = ms.find((m) => m.agg && !m.count && !it.comparedMentions.has(m));
  const agg = aggMention?.agg;
  const countMention = ms.find((m) => m.count);
  const superlative = ms.find((m) => m.superlative);
  // "credits earned", "points paid out": a money verb right after a number column says what
  // happened to it; the column is the amount, and the verb is read with it.
  const verbOfColumn = (m: Mention) => {
    const before = it.prev(m);
    return (
      PARTICIPLE.test(m.text) &&
      before?.end === m.start &&
      !it.used.has(before) &&
      numericReadings(before, it.lexicon).length > 0
    );
  };
  for (const m of ms) if (m.money && !it.used.has(m) && verbOfColumn(m)) it.use(m);
  const moneyWord = rankingTarget?.money ? rankingTarget : ms.find((m) => m.money && !it.used.has(m));
  // "How many payments": a money word that names a table is counted when the question counts.
  const countsTable =
    countMention && moneyWord && tableReading(moneyWord) && moneyWord.start > countMention.start;
  const moneyMention = countsTable ? undefined : moneyWord;
  const quantityMention = rankingTarget?.quantity
    ? rankingTarget
    : ms.find((m) => m.quantity && !it.used.has(m));
  if (superlative) it.use(superlative);
  if (aggMention) it.use(aggMention);

  const entityMentions = ms.filter((m) => it.namesEntity(m));
  return { ms, aggMention, agg, countMention, superlative, moneyMention, quantityMention, entityMentions };
}
