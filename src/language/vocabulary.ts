import type { Aggregate, TimeGrain } from '../domain/types.ts';

// General English for questions about data. Nothing here names a particular schema: tables and
// columns are found through their own names, comments and values (see schemaLexicon.ts).
// Words are in the singular normal form of text.ts.

/** Words that ask for money: mapped to money-like columns of whatever schema is there. */
export const MONEY_WORDS = new Set([
  'cost',
  'costing',
  'sales',
  'sale',
  'revenue',
  'income',
  'turnover',
  'gmv',
  'spend',
  'spent',
  'spending',
  'value',
  'amount',
  'money',
  'earning',
  'worth',
  'paid',
  'billing',
  'billed',
  'proceed',
  'booking',
  'takings',
  'payment',
  'collected',
  'received',
  'earned',
  'charged',
  'generated',
]);

/** Column-name words that mark money columns (with a numeric type). */
export const MONEY_COLUMN_WORDS = new Set([
  'total',
  'amount',
  'revenue',
  'sales',
  'value',
  'price',
  'subtotal',
  'gross',
  'net',
  'paid',
  'charge',
  'fee',
  'mrr',
  'arr',
  'payment',
  'spend',
  'spent',
  'billing',
  'invoice',
  'usd',
  'eur',
  'gbp',
  'cents',
  'money',
  'balance',
  'salary',
  'wage',
  'pay',
  'compensation',
  'cost',
  'budget',
  'income',
  'earnings',
  'profit',
]);

/** A money column that is a unit price: multiplied by a quantity on the same row for line money. */
export const UNIT_PRICE_WORDS = new Set(['price', 'unit', 'rate']);

/** Words that ask for counted units rather than money. */
export const QUANTITY_WORDS = new Set([
  'unit',
  'quantity',
  'qty',
  'volume',
  'piece',
  'sold',
  'sell',
  'selling',
  'seat',
  'license',
]);
export const QUANTITY_COLUMN_WORDS = new Set([
  'quantity',
  'qty',
  'units',
  'unit',
  'count',
  'pieces',
  'seats',
  'licenses',
  'volume',
]);

/** Column-name words of other amounts that add up across rows (time spent, distance, weight);
 *  unlike prices, ratings or scores, their total per group means something. */
export const ADDITIVE_COLUMN_WORDS = new Set([
  'hour',
  'hours',
  'minute',
  'minutes',
  'second',
  'seconds',
  'duration',
  'distance',
  'mile',
  'miles',
  'km',
  'weight',
  'kg',
  'night',
  'nights',
  'day',
  'days',
  'point',
  'points',
]);

export const AGGREGATE_WORDS: Record<string, Aggregate> = {
  total: 'sum',
  sum: 'sum',
  overall: 'sum',
  combined: 'sum',
  cumulative: 'sum',
  average: 'avg',
  avg: 'avg',
  mean: 'avg',
  typical: 'avg',
  median: 'median',
  maximum: 'max',
  max: 'max',
  minimum: 'min',
  min: 'min',
};

export const COUNT_PHRASES = [
  'how many',
  'number of',
  'count of',
  'count',
  'amount of',
  'num of',
  'total number of',
  'no of',
];
export const DISTINCT_WORDS = new Set(['distinct', 'unique', 'different', 'individual']);

/** Superlatives that rank. `dir` is the sort; `attribute` hints at the column kind ranked. */
export const SUPERLATIVES: Record<string, { dir: 'asc' | 'desc'; attribute?: 'money' | 'time' | 'price' }> = {
  top: { dir: 'desc' },
  best: { dir: 'desc' },
  most: { dir: 'desc' },
  highest: { dir: 'desc' },
  greatest: { dir: 'desc' },
  largest: { dir: 'desc', attribute: 'money' },
  biggest: { dir: 'desc', attribute: 'money' },
  leading: { dir: 'desc' },
  bottom: { dir: 'asc' },
  worst: { dir: 'asc' },
  least: { dir: 'asc' },
  lowest: { dir: 'asc' },
  fewest: { dir: 'asc' },
  smallest: { dir: 'asc', attribute: 'money' },
  expensive: { dir: 'desc', attribute: 'price' },
  priciest: { dir: 'desc', attribute: 'price' },
  costliest: { dir: 'desc', attribute: 'price' },
  cheapest: { dir: 'asc', attribute: 'price' },
  newest: { dir: 'desc', attribute: 'time' },
  latest: { dir: 'desc', attribute: 'time' },
  recent: { dir: 'desc', attribute: 'time' },
  oldest: { dir: 'asc', attribute: 'time' },
  earliest: { dir: 'asc', attribute: 'time' },
  first: { dir: 'asc', attribute: 'time' },
};

/** Words that introduce a grouping: "by country", "per category", "for each region". */
export const GROUPING_WORDS = new Set([
  'by',
  'per',
  'each',
  'every',
  'across',
  'breakdown',
  'split',
  'grouped',
]);
export const ASKING_WORDS = new Set(['which', 'what', 'who', 'where']);

export const GRAIN_WORDS: Record<string, TimeGrain> = {
  hourly: 'hour',
  hour: 'hour',
  daily: 'day',
  day: 'day',
  date: 'day',
  weekly: 'week',
  week: 'week',
  monthly: 'month',
  month: 'month',
  quarterly: 'quarter',
  quarter: 'quarter',
  yearly: 'year',
  annual: 'year',
  annually: 'year',
  year: 'year',
};
export const TREND_WORDS = new Set(['trend', 'over time', 'timeline', 'evolution', 'history']);

/** Entity words people use for common tables, mapped to the words such tables are named with. */
export const ENTITY_SYNONYMS: Record<string, string[]> = {
  customer: ['client', 'buyer', 'shopper', 'purchaser', 'consumer'],
  client: ['customer'],
  product: ['item', 'good', 'sku', 'article', 'merchandise'],
  order: ['purchase', 'transaction', 'checkout'],
  employee: ['staff', 'worker', 'people', 'person', 'headcount', 'hire', 'personnel'],
  user: ['member', 'account', 'people', 'person'],
  account: ['customer', 'client', 'company', 'organization', 'org'],
  invoice: ['bill'],
  payment: ['transaction', 'charge'],
  subscription: ['plan', 'sub'],
  department: ['dept', 'team', 'division'],
  ticket: ['issue', 'case', 'request'],
};

/** Words whose presence means a following noun is excluded ("excluding cancelled"). */
export const NEGATION_WORDS = new Set([
  'not',
  'never',
  'no',
  'none',
  'nobody',
  'nothing',
  'except',
  'excluding',
  'exclude',
  'without',
  'non',
  'other',
]);

/** Verbs that only link an entity to its attribute or its events ("customers who live in",
 *  "products we carry"): general English, never a measure or a filter by themselves. */
export const LINKING_WORDS = new Set(
  'live lives living located location based situated belong belongs carry carried stock stocked offer offered have has had contain contains include includes including exist exists come comes happen happened occur occurred take took place placed listed appear appears associated issue issued submit submitted raise raised file filed log logged record recorded book booked write wrote written writes make made publish published present presented post posted teach taught serve served operate operates operated relate related link linked connect connected involve involved run runs ran work works worked working sit sits sitting bring brings brought bringing'.split(
    ' ',
  ),
);

/** Superlatives that count or add up ("the most products", "the fewest hours"), unlike those
 *  that rank ("top products", "the highest price"). */
export const COUNTING_SUPERLATIVES = new Set(['most', 'least', 'fewest']);

/** Past participles ("received", "written", "sold") before "by": a passive agent follows. */
export const PARTICIPLE =
  /^(?:\w+ed|written|given|taken|made|sold|bought|paid|held|run|done|seen|known|shown|won|lost|sent|read)$/;

/** Words about an answer's own parts: "remove the country filter" edits the answer, not data. */
export const ANSWER_PART_WORDS =
  /\b(?:filters?|grouping|breakdown|limit|chart|conditions?|split|sort(?:ing)?)\b/i;

/** Requests to change data: Quarry only reads, so these are refused as writes. */
export const WRITE_REQUEST =
  /^\s*(?:(?:please|pls|kindly|can you|could you|would you|go ahead and|now)\s+)*(?:delete|remove|drop|truncate|erase|wipe|purge|insert|update|modify|alter|overwrite|rename|deactivate|grant|revoke|vacuum|reindex|lock)\b|^\s*(?:please\s+)?(?:set|change)\b.+\bto\b/i;

/** Function words and question scaffolding: carry no schema meaning. */
export const STOPWORDS = new Set(
  (
    'a an the of in on at to for from with and or is are was were be been being do doe did does have has had ' +
    'we our us me my i you your they their it its this that these those there here what which who whom how ' +
    'please show give list tell get got find see display return provide want need know let can could would ' +
    'should will shall may might must all any some so far up out about into over under as then also just ' +
    'only ever now much many more made make look report data information stat statistic figure detail result ' +
    'current currently our overall across along within during since between per by each every ' +
    'did during whole entire across there were much each one he she him her his hers them they theirs database table db ' +
    'corresponding respective respectively'
  ).split(' '),
);

/** US states by their postal codes: a \`state\` column that keeps "CA" answers to "California". */
export const US_STATE_NAMES: Record<string, string> = {
  AL: 'alabama',
  AK: 'alaska',
  AZ: 'arizona',
  AR: 'arkansas',
  CA: 'california',
  CO: 'colorado',
  CT: 'connecticut',
  DE: 'delaware',
  DC: 'district of columbia',
  FL: 'florida',
  GA: 'georgia',
  HI: 'hawaii',
  ID: 'idaho',
  IL: 'illinois',
  IN: 'indiana',
  IA: 'iowa',
  KS: 'kansas',
  KY: 'kentucky',
  LA: 'louisiana',
  ME: 'maine',
  MD: 'maryland',
  MA: 'massachusetts',
  MI: 'michigan',
  MN: 'minnesota',
  MS: 'mississippi',
  MO: 'missouri',
  MT: 'montana',
  NE: 'nebraska',
  NV: 'nevada',
  NH: 'new hampshire',
  NJ: 'new jersey',
  NM: 'new mexico',
  NY: 'new york',
  NC: 'north carolina',
  ND: 'north dakota',
  OH: 'ohio',
  OK: 'oklahoma',
  OR: 'oregon',
  PA: 'pennsylvania',
  RI: 'rhode island',
  SC: 'south carolina',
  SD: 'south dakota',
  TN: 'tennessee',
  TX: 'texas',
  UT: 'utah',
  VT: 'vermont',
  VA: 'virginia',
  WA: 'washington',
  WV: 'west virginia',
  WI: 'wisconsin',
  WY: 'wyoming',
};
