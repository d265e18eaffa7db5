import { describe, expect, it } from 'vitest';
import { matchesAnyGold } from '../../src/eval/compareResults.ts';
import { fileDbName, parseCases } from '../../src/eval/readCases.ts';

describe('eval question files', () => {
  it('reads sql-eval lines with gold variants, order and db', () => {
    const [c] = parseCases(
      JSON.stringify({
        id: 'yelp-01',
        db: 'yelp',
        question: 'How many reviews?',
        gold_sql_variants: ['SELECT count(*) FROM review', 'SELECT count(1) FROM review'],
        order_matters: true,
        category: 'aggregate',
      }),
      'q.jsonl',
    );
    expect(c).toEqual({
      id: 'yelp-01',
      questions: ['How many reviews?'],
      goldSql: ['SELECT count(*) FROM review', 'SELECT count(1) FROM review'],
      category: 'aggregate',
      orderMatters: true,
      db: 'yelp',
    });
  });

  it('keeps reading single gold_sql lines and threads, leaving order to the gold query', () => {
    const cases = parseCases(
      [
        '{"question":"How many orders?","gold_sql":"SELECT count(*) FROM orders"}',
        '',
        '{"thread":["Sales by month","only 2024"],"gold_sql":"SELECT 1"}',
      ].join('\n'),
      'q.jsonl',
    );
    expect(cases.map((c) => [c.questions, c.goldSql, c.orderMatters])).toEqual([
      [['How many orders?'], ['SELECT count(*) FROM orders'], undefined],
      [['Sales by month', 'only 2024'], ['SELECT 1'], undefined],
    ]);
  });

  it('names the line that is neither shape', () => {
    expect(() => parseCases('{"question":"q","gold_sql":"SELECT 1"}\n{"question":"q"}', 'f.jsonl')).toThrow(
      /Line 2 of f\.jsonl/,
    );
    expect(() => parseCases('{"question":"q","gold_sql_variants":[]}', 'f.jsonl')).toThrow(/Line 1/);
  });

  it('takes the db name from db_name, db, else the folder', () => {
    const [withName] = parseCases('{"question":"q","gold_sql":"SELECT 1","db_name":"atis","db":"x"}', 'f');
    expect(fileDbName('a/b/questions.jsonl', [withName!])).toBe('atis');
    const [plain] = parseCases('{"question":"q","gold_sql":"SELECT 1"}', 'f');
    expect(fileDbName('fixtures/defog/scholar/questions.jsonl', [plain!])).toBe('scholar');
  });
});

describe('matching gold variants', () => {
  const byName = { result: { columns: ['name'], rows: [['Ann'], ['Bo']] }, ordered: false };
  const byId = { result: { columns: ['aid'], rows: [[1], [2]] }, ordered: false };

  it('is right when any variant matches', () => {
    expect(matchesAnyGold([byName, byId], { columns: ['aid'], rows: [[2], [1]] })).toBe(true);
    expect(matchesAnyGold([byName, byId], { columns: ['n'], rows: [['Bo'], ['Ann']] })).toBe(true);
  });

  it('is wrong when none does', () => {
    expect(matchesAnyGold([byName, byId], { columns: ['aid'], rows: [[1], [3]] })).toBe(false);
    expect(matchesAnyGold([], { columns: ['aid'], rows: [[1]] })).toBe(false);
  });

  it('compares order only for a variant that asks for it', () => {
    const ordered = { ...byId, ordered: true };
    expect(matchesAnyGold([ordered], { columns: ['aid'], rows: [[2], [1]] })).toBe(false);
    expect(matchesAnyGold([ordered], { columns: ['aid'], rows: [[1], [2]] })).toBe(true);
  });
});
