// Results wide in bytes rather than rows: a thousand rows of 4.5 MB each, one value of 2.6 MB,
// wide text in several scripts. Reading stops at QUARRY_MAX_RESULT_BYTES, every format says the
// result was cut and why, and formatting does work bounded by the width shown, not by the
// value's length (a value of megabytes is summarised and tabled at once). Peak memory under
// these results is measured in bench/wideResult.ts.
import { describe, expect, it } from 'vitest';
import { answerText } from '../../src/cli/printAnswer.ts';
import { summarize } from '../../src/pipeline/present.ts';
import { answerJson } from '../../src/render/answerJson.ts';
import { throwawayShopForFile } from '../helpers/throwawayShop.ts';

const fixture = throwawayShopForFile({ env: { QUARRY_MAX_RESULT_BYTES: '5000000' } });

describe('results wide in bytes', () => {
  it('stops reading at the size cap: a thousand rows of 4.5 MB keep the first', async () => {
    const a = await fixture.shop.runSql("SELECT repeat('x', 4500000) AS big FROM generate_series(1, 1001)");
    expect(a.error).toBeNull();
    expect(a.rows).toHaveLength(1);
    expect(answerJson(a)).toMatchObject({ row_count: 1, truncated: true, truncated_by: 'size', error: null });
    expect(a.notes.join(' ')).toMatch(/larger than 5 MB, so I kept only the first 1 rows/);
  });

  it('says the result was cut in every format, even with no row kept', async () => {
    const a = await fixture.shop.runSql("SELECT repeat('x', 6000000) AS big FROM generate_series(1, 1001)");
    expect(a.error).toBeNull();
    expect(a.rows).toEqual([]);
    expect(a.truncated).toBe(true);
    expect(a.truncatedBy).toBe('size');
    const json = answerJson(a);
    expect(json).toMatchObject({ row_count: 0, truncated: true, truncated_by: 'size', error: null });
    expect(json.notes.join(' ')).toMatch(/larger than 5 MB, so I kept only the first 0 rows/);
    const summary = summarize(a, {});
    expect(summary).not.toMatch(/No matching rows/);
    expect(answerText({ ...a, summary })).toMatch(
      /too large to show[\s\S]*note: The result was larger than 5 MB/,
    );
  });

  it.each([
    ["SELECT repeat('x', 2600000) AS v", 'x'],
    ["SELECT repeat('é', 1300000) AS v", 'é'],
    ["SELECT repeat('👍🏽', 400000) AS v", '👍🏽'],
    ["SELECT repeat('e' || chr(769), 400000) AS v", 'e\u0301'],
    ["SELECT repeat('漢', 800000) AS v, repeat('y', 100000) AS w", '漢'],
  ])('summarises and tables one wide value at once: %s', async (sql, unit) => {
    const a = await fixture.shop.runSql(sql);
    expect(a.error).toBeNull();
    expect(a.rows).toHaveLength(1);
    const summary = summarize(a, {});
    expect(summary.length).toBeLessThan(400);
    const text = answerText({ ...a, summary });
    expect(text.length).toBeLessThan(5000);
    expect(text).toContain(`${unit}${unit}…`);
  });

  it('keeps the rows that fit when later rows are wide', async () => {
    const a = await fixture.shop.runSql(
      "SELECT g, CASE WHEN g > 3 THEN repeat('x', 2000000) ELSE 'small' END AS v FROM generate_series(1, 1001) g ORDER BY g",
    );
    expect(a.error).toBeNull();
    expect(a.rows.map((r) => r[0])).toEqual([1, 2, 3, 4, 5]);
    expect(a.truncatedBy).toBe('size');
  });
});
